import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';
import { MAX_MANUAL_TAGS, TAG_PATTERN } from '@app/domain';
import { IsPostId } from './names';
import { PageQueryDto } from './paging';

/** A post's tags: the stored union and the two sources it is made of. */
export interface PostTags {
  id: string;
  tags: string[];
  auto_tags: string[];
  manual_tags: string[];
}

const TAG_RULE = '1-32 lower-case letters, digits or dashes, not starting with a dash';

/** A list of `min`..`max` tags, each matching TAG_PATTERN; messages name the field. */
export function IsTagList(min: number, max: number): PropertyDecorator {
  const rules = [
    IsArray({ message: '$property must be an array of tags' }),
    ArrayMinSize(min, { message: `$property must hold at least ${min} tag${min === 1 ? '' : 's'}` }),
    ArrayMaxSize(max, { message: `$property must hold at most ${max} tags` }),
    Matches(TAG_PATTERN, { each: true, message: `each of $property must be ${TAG_RULE}` }),
  ];
  return (target, property) => rules.forEach((rule) => rule(target, property));
}

/** One tag. */
export function IsTag(): PropertyDecorator {
  return Matches(TAG_PATTERN, { message: `$property must be ${TAG_RULE}` });
}

/** The `:tag` path parameter. */
export class TagParam {
  @IsTag()
  tag: string;
}

/** Body of PUT /posts/:id/tags: the post's new manual tags. */
export class ReplaceTagsDto {
  @IsTagList(1, MAX_MANUAL_TAGS)
  tags: string[];
}

/** PUT /posts/:id/tags as a message: the path's id plus the body. */
export class ReplacePostTagsMessage extends ReplaceTagsDto {
  @IsPostId()
  id: string;
}

/** GET /tags/:tag/posts as a message: the path's tag plus the paging query. */
export class TagPostsMessage extends PageQueryDto {
  @IsTag()
  tag: string;
}

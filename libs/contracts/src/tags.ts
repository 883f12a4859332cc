import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';
import { TAG_PATTERN } from '@app/domain';

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

/** The `:tag` path parameter. */
export class TagParam {
  @Matches(TAG_PATTERN, { message: `tag must be ${TAG_RULE}` })
  tag: string;
}

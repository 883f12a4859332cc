import { IsTagList } from '@app/contracts';
import { MAX_MANUAL_TAGS } from '@app/domain';

export class ReplaceTagsDto {
  @IsTagList(1, MAX_MANUAL_TAGS)
  tags: string[];
}

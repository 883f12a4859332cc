import { IsTagList } from '@app/contracts';

export const MAX_PREFERENCE_TAGS = 50;

export class PreferencesDto {
  @IsTagList(0, MAX_PREFERENCE_TAGS)
  tags: string[];

  @IsTagList(0, MAX_PREFERENCE_TAGS)
  hiddenTags: string[];
}

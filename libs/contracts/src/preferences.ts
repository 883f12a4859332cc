import { IsUserName } from './names';
import { IsTagList } from './tags';

export const MAX_PREFERENCE_TAGS = 50;

/** What a user wants to see more of (`tags`) and never (`hiddenTags`). */
export interface Preferences {
  user: string;
  tags: string[];
  hiddenTags: string[];
}

/** Body of PUT /users/:user/preferences. */
export class PreferencesDto {
  @IsTagList(0, MAX_PREFERENCE_TAGS)
  tags: string[];

  @IsTagList(0, MAX_PREFERENCE_TAGS)
  hiddenTags: string[];
}

/** PUT /users/:user/preferences as a message: the path's user plus the body. */
export class ReplacePreferencesMessage extends PreferencesDto {
  @IsUserName()
  user: string;
}

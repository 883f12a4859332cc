import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  PATTERNS,
  PostIdParam,
  RelayedEvent,
  ReplacePostTagsMessage,
  ReplacePreferencesMessage,
  TagPostsMessage,
  UserParam,
} from '@app/contracts';
import { Delivery, Message } from '@app/transport';
import { PreferencesService } from './preferences.service';
import { TaggingStreamService } from './tagging-stream.service';
import { TagsService } from './tags.service';

@Controller()
export class TaggingController {
  constructor(
    private readonly tags: TagsService,
    private readonly preferences: PreferencesService,
    private readonly stream: TaggingStreamService,
  ) {}

  @MessagePattern(PATTERNS.tagging.countTags)
  countTags() {
    return this.tags.counts();
  }

  @MessagePattern(PATTERNS.tagging.postsByTag)
  postsByTag(@Message() { tag, ...page }: TagPostsMessage) {
    return this.tags.postsWithTag(tag, page);
  }

  @MessagePattern(PATTERNS.tagging.getPostTags)
  getPostTags(@Message() { id }: PostIdParam) {
    return this.tags.ofPost(id);
  }

  @MessagePattern(PATTERNS.tagging.replacePostTags)
  replacePostTags(@Message() { id, tags }: ReplacePostTagsMessage) {
    return this.tags.replaceManualTags(id, tags);
  }

  @MessagePattern(PATTERNS.tagging.getPreferences)
  getPreferences(@Message() { user }: UserParam) {
    return this.preferences.get(user);
  }

  @MessagePattern(PATTERNS.tagging.replacePreferences)
  replacePreferences(@Message() { user, tags, hiddenTags }: ReplacePreferencesMessage) {
    return this.preferences.save(user, tags, hiddenTags);
  }

  @MessagePattern(PATTERNS.tagging.applyEvents)
  apply(@Delivery() events: RelayedEvent[]) {
    return this.stream.apply(events);
  }

  @MessagePattern(PATTERNS.tagging.reset)
  reset() {
    return this.stream.reset();
  }
}

import { Injectable } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { Preferences } from '@app/contracts';
import { InjectDb, applyAtPosition, applyEachAtPosition, deleteChangedBefore, unlessDuplicateKey } from '@app/data';
import { RECOMMENDATION_MIN_SCORE } from '@app/domain';
import {
  CANDIDATES_COLLECTION,
  Candidate,
  CandidateDocument,
  HIDES_COLLECTION,
  HideDocument,
  PREFERENCES_COLLECTION,
  PreferencesDocument,
  hideId,
} from './recommendation.documents';

const CANDIDATE_FIELDS = {
  _id: 0,
  id: 1,
  title: 1,
  score: 1,
  ups: 1,
  downs: 1,
  num_comments: 1,
  upsanddowns: 1,
  tags: 1,
} as const;

/** Documents are keyed by `_id`: the embedded store serves only those look-ups without a scan. */
@Injectable()
export class RecommendationsRepository {
  private readonly candidates: Collection<CandidateDocument>;
  private readonly hides: Collection<HideDocument>;
  private readonly preferences: Collection<PreferencesDocument>;

  constructor(@InjectDb() db: Db) {
    this.candidates = db.collection<CandidateDocument>(CANDIDATES_COLLECTION);
    this.hides = db.collection<HideDocument>(HIDES_COLLECTION);
    this.preferences = db.collection<PreferencesDocument>(PREFERENCES_COLLECTION);
  }

  /** Every stored post above the recommendation score, unordered. */
  recommendable(): AsyncIterable<Candidate> {
    return this.candidates.find({ score: { $gt: RECOMMENDATION_MIN_SCORE } }, { projection: CANDIDATE_FIELDS });
  }

  /** Stores a post as of stream `position`; false when that event or a later one was applied. */
  applyPosts(posts: readonly { candidate: Candidate; position: number }[]): Promise<boolean[]> {
    return applyEachAtPosition(
      this.candidates,
      posts.map(({ candidate, position }) => ({ _id: candidate.id, position, state: candidate })),
    );
  }

  /** Replaces a known post's tags as of stream `position` (as applyPosts). */
  applyTags(id: string, tags: string[], position: number): Promise<boolean> {
    return applyAtPosition(this.candidates, id, position, { tags }, { upsert: false });
  }

  /** Records that `user` hid `postId`; false when it was recorded before. */
  addHide(user: string, postId: string): Promise<boolean> {
    return unlessDuplicateKey(async () => {
      await this.hides.insertOne({ _id: hideId(user, postId), user, post_id: postId });
      return true;
    });
  }

  /** Stores a user's preferences as of stream `position` (as applyPosts). */
  applyPreferences(preferences: Preferences, position: number): Promise<boolean> {
    return applyAtPosition(this.preferences, preferences.user, position, preferences, { upsert: true });
  }

  /** Every hide, read once at start. */
  allHides(): AsyncIterable<Pick<HideDocument, 'user' | 'post_id'>> {
    return this.hides.find({}, { projection: { _id: 0, user: 1, post_id: 1 } });
  }

  /** Every user's preferences, read once at start. */
  allPreferences(): AsyncIterable<Preferences> {
    return this.preferences.find<Preferences>({}, { projection: { _id: 0, user: 1, tags: 1, hiddenTags: 1 } });
  }

  /** Removes the posts a bulk reset at stream `position` removed; hides and preferences stay. */
  dropPostsBefore(position: number): Promise<void> {
    return deleteChangedBefore(this.candidates, position);
  }

  async clear(): Promise<void> {
    await Promise.all([this.candidates.deleteMany({}), this.hides.deleteMany({}), this.preferences.deleteMany({})]);
  }
}

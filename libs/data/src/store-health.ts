import { Injectable } from '@nestjs/common';
import { Db } from 'mongodb';
import { InjectDb } from './tokens';

/** Answers whether the process's database responds. */
@Injectable()
export class StoreHealth {
  constructor(@InjectDb() private readonly db: Db) {}

  async isUp(): Promise<boolean> {
    try {
      await this.db.command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }
}

import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { StoreHealth } from '@app/data';

@Injectable()
export class HealthService {
  constructor(private readonly store: StoreHealth) {}

  async check(): Promise<{ status: 'ok'; service: string; store: 'up'; uptime: number }> {
    if (!(await this.store.isUp())) throw new ServiceUnavailableException('document store is unreachable');
    return { status: 'ok', service: 'monolith', store: 'up', uptime: Math.round(process.uptime()) };
  }
}

import { ArrayMaxSize, IsArray, IsInt, IsObject, IsString, Min } from 'class-validator';
import type { DomainEvent, EventName } from './events';

/** An event as the relay delivers it: the recorded event plus its position in the stream. */
export class RelayedEventDto {
  @IsInt()
  @Min(1)
  position: number;

  @IsString()
  id: string;

  @IsString()
  type: EventName;

  @IsString()
  aggregate: string;

  @IsInt()
  at: number;

  @IsString()
  origin: string;

  @IsObject()
  payload: DomainEvent['payload'];
}

export const MAX_EVENTS_PER_DELIVERY = 1000;

/**
 * A delivery's envelope. Its events are each checked as a RelayedEventDto
 * where they are, by the `Delivery` parameter decorator of @app/transport.
 */
export class ApplyEventsDto {
  @IsArray()
  @ArrayMaxSize(MAX_EVENTS_PER_DELIVERY)
  @IsObject({ each: true })
  events: RelayedEventDto[];
}

export interface ApplyEventsResult {
  applied: number;
  skipped: number;
}

export type RelayedEvent = RelayedEventDto;

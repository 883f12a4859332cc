import { Injectable } from '@nestjs/common';
import { eventually } from '@app/platform';

/** Requests of one route being served right now. */
export interface Flight {
  count: number;
}

/**
 * Lets a route's traffic pause while it changes owner: requests in flight
 * are counted per route, and while a route's gate is closed its new requests
 * wait, to be dispatched again once the gate opens (by then on the new owner,
 * or on the old one if the change was refused).
 */
@Injectable()
export class RouteGates {
  /** Route name -> requests waiting for its gate to open. Empty except during a cutover. */
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly flights = new Map<string, Flight>();

  /** The counter of a route's requests in flight, one object per route for the gateway's life. */
  flight(route: string): Flight {
    let flight = this.flights.get(route);
    if (flight === undefined) {
      flight = { count: 0 };
      this.flights.set(route, flight);
    }
    return flight;
  }

  /** Whether any gate is closed; cheap enough for every request. */
  get anyClosed(): boolean {
    return this.waiting.size > 0;
  }

  /** Parks `resume` if the route's gate is closed; false when the request may go on. */
  park(route: string, resume: () => void): boolean {
    const queue = this.waiting.get(route);
    if (queue === undefined) return false;
    queue.push(resume);
    return true;
  }

  /** Closes the routes' gates; the returned function opens them and resumes every parked request. */
  close(routes: readonly string[]): () => void {
    for (const route of routes) this.waiting.set(route, []);
    return () => {
      for (const route of routes) {
        const queue = this.waiting.get(route) ?? [];
        this.waiting.delete(route);
        queue.forEach((resume) => resume());
      }
    };
  }

  /** Waits until none of the routes has a request in flight; false if that takes past `deadline` (epoch ms). */
  async idle(routes: readonly string[], deadline: number): Promise<boolean> {
    const busy = await eventually(
      () => routes.some((route) => this.flight(route).count > 0),
      (inFlight) => !inFlight,
      deadline - Date.now(),
      5,
    );
    return !busy;
  }
}

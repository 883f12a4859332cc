import { CheckContext, Expectation, expectation } from '../src/check-kit';

/** The tag this step has the attendee put on a post. */
export const WORKSHOP_TAG = 'workshop';

export async function check(context: CheckContext): Promise<Expectation[]> {
  const viaGateway = await context.gateway(`/tags/${WORKSHOP_TAG}/posts`);
  const inMonolith = await context.monolith(`/tags/${WORKSHOP_TAG}/posts`);
  const total = (answer: { body: unknown }) => (answer.body as { total?: number } | undefined)?.total ?? 0;
  return [
    await context.routeGoesTo('tags', 'tagging'),
    expectation(
      `a post tagged "${WORKSHOP_TAG}" through the gateway, written by tagging`,
      viaGateway.headers.get('x-served-by') === 'tagging' && total(viaGateway) > 0,
      `PUT a tag through the gateway once the route is flipped (the curl -X PUT line of this step)`,
      `x-served-by ${viaGateway.headers.get('x-served-by')}, ${total(viaGateway)} post(s)`,
    ),
    expectation(
      `the write flowed back: the monolith's own data has the "${WORKSHOP_TAG}" tag too`,
      total(inMonolith) > 0,
      "the relay carries tagging's events back to the monolith within seconds; npm run sync -- status shows the monolith consumer",
      `${total(inMonolith)} post(s) on the monolith`,
    ),
  ];
}

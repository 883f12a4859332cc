import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { DomainError, NotFoundError } from '@app/platform';
import { RemoteError, RpcTimeoutError, ServiceUnavailableError, fromRpcError, toRpcException } from './rpc-errors';

const bodyOf = (error: unknown) => toRpcException(error).getError();

describe('toRpcException (service side)', () => {
  it('carries a domain error as the HTTP error body of its status', () => {
    expect(bodyOf(new NotFoundError('post abc does not exist'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'post abc does not exist',
    });
  });

  it("carries a Nest HTTP exception's status and message", () => {
    expect(bodyOf(new NotFoundException('no such tag'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'no such tag',
    });
  });

  it('joins the messages of a validation failure', () => {
    const validation = new BadRequestException(['q must be a string', 'limit must not be greater than 100']);
    expect(bodyOf(validation)).toMatchObject({
      statusCode: 400,
      message: 'q must be a string; limit must not be greater than 100',
    });
  });

  it('takes a plain-string HTTP exception response as the message', () => {
    expect(bodyOf(new HttpException('slow down', 429))).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'slow down',
    });
  });

  it('keeps an RpcException that already carries an error body', () => {
    const exception = new RpcException({ statusCode: 409, error: 'Conflict', message: 'taken' });
    expect(toRpcException(exception)).toBe(exception);
  });

  it('hides any other failure behind a 500 without its details', () => {
    expect(bodyOf(new Error('connection string mongodb://secret'))).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
    });
    expect(bodyOf(new RpcException('not a body'))).toMatchObject({ statusCode: 500 });
  });
});

describe('fromRpcError (client side)', () => {
  it('turns an error body back into a RemoteError with its status and message', () => {
    const error = fromRpcError('search.posts.query', { statusCode: 400, error: 'Bad Request', message: 'q is empty' });
    expect(error).toBeInstanceOf(RemoteError);
    expect([error.status, error.message]).toEqual([400, 'q is empty']);
  });

  it('round-trips a domain error through the transport unchanged in status and message', () => {
    const sent = new DomainError(422, 'tags must be 1..10');
    const received = fromRpcError('tagging.post-tags.replace', bodyOf(sent));
    expect([received.status, received.message]).toEqual([422, 'tags must be 1..10']);
  });

  it('passes a RemoteError through as it is', () => {
    const timeout = new RpcTimeoutError('search.posts.query', 3000);
    expect(fromRpcError('search.posts.query', timeout)).toBe(timeout);
    expect([timeout.status, timeout.message]).toEqual([504, 'search.posts.query did not answer within 3000 ms']);
  });

  it('answers 501 when no handler serves the pattern', () => {
    const error = fromRpcError(
      'search.posts.nope',
      new Error('There is no matching message handler defined in the remote service.'),
    );
    expect([error.status, error.message]).toEqual([501, 'search.posts.nope has no handler']);
  });

  it('answers 503 naming the reason when the service cannot be reached', () => {
    const error = fromRpcError('tagging.tags.count', new Error('connect ECONNREFUSED 127.0.0.1:4103'));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect([error.status, error.message]).toEqual([
      503,
      'tagging.tags.count is unavailable: connect ECONNREFUSED 127.0.0.1:4103',
    ]);
  });

  it('describes a non-error value it cannot read', () => {
    expect(fromRpcError('search.posts.query', { weird: true }).message).toBe(
      'search.posts.query is unavailable: {"weird":true}',
    );
  });
});

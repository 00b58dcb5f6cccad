import { expect } from 'chai';
import { FaceStreamError, InvalidParameterError, isFaceStreamError, JobFailedError, ServiceError } from '../../src/index.js';
import { classifyError } from '../../src/resilience/classifyError.js';
import { expectInteger, expectString } from '../../src/internal/validate.js';

describe('errors', () => {
  it('InvalidParameterError names the parameter and what was expected', () => {
    const err = new InvalidParameterError('maxResults', 'an integer >= 1', 0);
    expect(err.message).to.equal('Expected `maxResults` to be an integer >= 1, got 0.');
    expect(err.name).to.equal('InvalidParameterError');
    expect(err.code).to.equal('ERR_INVALID_PARAMETER');
    expect(err.parameter).to.equal('maxResults');
    expect(err).to.be.instanceOf(FaceStreamError);
    expect(isFaceStreamError(err)).to.equal(true);
    expect(isFaceStreamError(new Error('x'))).to.equal(false);
  });

  it('validators throw typed errors before anything else happens', () => {
    expect(() => expectInteger('maxResults', 1.5, 1)).to.throw(InvalidParameterError, /`maxResults`.*integer >= 1/);
    expect(() => expectString('jobId', 'a b', { minLength: 1, maxLength: 64, pattern: /^[a-zA-Z0-9-_]+$/ })).to.throw(
      InvalidParameterError,
      /`jobId`/,
    );
    expect(expectInteger('n', 3, 1, 5)).to.equal(3);
  });

  it('JobFailedError carries the StatusMessage', () => {
    const err = new JobFailedError('abc', 'Unsupported codec.');
    expect(err.message).to.contain('Unsupported codec.');
    expect(err.context).to.deep.equal({ jobId: 'abc', statusMessage: 'Unsupported codec.' });
  });

  describe('classifyError', () => {
    const sdkError = (name: string, status?: number, code?: string) =>
      Object.assign(new Error(`${name} happened`), {
        name,
        ...(code ? { code } : {}),
        ...(status ? { $metadata: { httpStatusCode: status, requestId: 'r-1', attempts: 1 } } : {}),
      });

    for (const [name, status, retryable, throttling] of [
      ['ThrottlingException', 400, true, true],
      ['ThrottlingException', 500, true, true],
      ['ProvisionedThroughputExceededException', 400, true, true],
      ['InternalServerError', 500, true, false],
      ['Unknown', 503, true, false],
      ['Unknown', 429, true, true],
      ['InvalidPaginationTokenException', 400, false, false],
      ['InvalidParameterException', 400, false, false],
      ['ResourceNotFoundException', 400, false, false],
      ['AccessDeniedException', 400, false, false],
    ] as const) {
      it(`${name} (${status}) → retryable ${retryable}, throttling ${throttling}`, () => {
        const err = classifyError(sdkError(name, status), 'GetFaceDetection');
        expect(err).to.be.instanceOf(ServiceError);
        const se = err as ServiceError;
        expect(se.serviceCode).to.equal(name);
        expect(se.retryable).to.equal(retryable);
        expect(se.throttling).to.equal(throttling);
        expect(se.httpStatusCode).to.equal(status);
        expect(se.requestId).to.equal('r-1');
        expect(se.cause).to.be.instanceOf(Error);
      });
    }

    it('classifies network errors by code', () => {
      const se = classifyError(sdkError('Error', undefined, 'ECONNRESET'), 'GetFaceDetection') as ServiceError;
      expect(se.serviceCode).to.equal('ECONNRESET');
      expect(se.retryable).to.equal(true);
    });

    it('passes AbortError and library errors through unchanged', () => {
      const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      expect(classifyError(abort, 'X')).to.equal(abort);
      const own = new JobFailedError('a', undefined);
      expect(classifyError(own, 'X')).to.equal(own);
    });

    it('wraps non-errors', () => {
      const se = classifyError('boom', 'X') as ServiceError;
      expect(se.message).to.contain('Non-error was thrown: boom');
    });
  });
});

/**
 * Opaque `NextToken`s bound to one job and one position: base64 of a version byte, the detection index, the
 * issue time and an HMAC over them and the job id (key random per emulator instance). A token that was
 * altered, issued by another emulator, used with another job or older than the TTL is rejected; there is no
 * silent restart at page 1.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors } from '../protocol/ServiceException.js';

const VERSION = 1;
const MAC_BYTES = 16;
const PAYLOAD_BYTES = 1 + 4 + 8;

/** Issues and verifies pagination tokens. */
export class PaginationTokens {
  readonly #key: Buffer;

  constructor(
    /** Token lifetime (ms). */
    readonly ttlMs: number,
    key: Buffer = randomBytes(32),
  ) {
    this.#key = key;
  }

  /** A token for resuming job `jobId` at detection `index`, issued at `now` (ms). */
  issue(jobId: string, index: number, now: number): string {
    const token = Buffer.allocUnsafe(PAYLOAD_BYTES + MAC_BYTES);
    token.writeUInt8(VERSION, 0);
    token.writeUInt32BE(index, 1);
    token.writeDoubleBE(now, 5);
    this.#mac(jobId, token.subarray(0, PAYLOAD_BYTES)).copy(token, PAYLOAD_BYTES, 0, MAC_BYTES);
    return token.toString('base64');
  }

  /**
   * The detection index `token` resumes at, or a thrown `InvalidPaginationTokenException` when the token is
   * malformed, tampered with, foreign (another job or emulator) or expired at `now`.
   */
  verify(jobId: string, token: string, now: number): number {
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(token) ? Buffer.from(token, 'base64') : undefined;
    if (!bytes || bytes.length !== PAYLOAD_BYTES + MAC_BYTES || bytes.readUInt8(0) !== VERSION) {
      throw errors.invalidPaginationToken('the token is malformed.');
    }
    const mac = this.#mac(jobId, bytes.subarray(0, PAYLOAD_BYTES)).subarray(0, MAC_BYTES);
    if (!timingSafeEqual(mac, bytes.subarray(PAYLOAD_BYTES))) {
      throw errors.invalidPaginationToken('the token was not issued for this job.');
    }
    const issuedAt = bytes.readDoubleBE(5);
    if (!(now - issuedAt <= this.ttlMs)) {
      throw errors.invalidPaginationToken('the token might have expired.');
    }
    return bytes.readUInt32BE(1);
  }

  #mac(jobId: string, payload: Buffer): Buffer {
    return createHmac('sha256', this.#key).update(jobId).update(payload).digest();
  }
}

/** A node:http request body, read whole with a size cap (the local gateway and the runtime server). */
import type { IncomingMessage } from 'node:http';
import { AppError } from '../domain/errors.js';

/**
 * The body as UTF-8 text; AppError too_large past `maxBytes`. The rest of an oversized body is
 * read and dropped rather than the socket destroyed, so the caller gets its 413 instead of a
 * reset (answer it with `connection: close`).
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (size > maxBytes) return;
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
      } else {
        chunks.length = 0;
        reject(new AppError('too_large'));
      }
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

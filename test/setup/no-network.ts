/**
 * Unit tests run with no network at all, not even loopback: a socket connect or a fetch fails the
 * test that tries it, so a unit test cannot come to depend on DynamoDB Local, Prism or the internet
 * without saying so (it belongs in test/integration then).
 */
import net from 'node:net';

const refuse = (what: string) => {
  throw new Error(`unit tests open no network connections (${what}); move this test to test/integration`);
};
net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]): never {
  const target = args[0];
  return refuse(typeof target === 'object' && target ? JSON.stringify(target) : String(target));
} as typeof net.Socket.prototype.connect;
globalThis.fetch = ((input: unknown) => refuse(`fetch ${String(input)}`)) as typeof fetch;

// The few Node built-ins the Playwright specs and config use, typed by hand (as unit/node-test.d.ts
// does for the unit tests) so that `tsc` checks them without pulling in @types/node. The specs run
// in Node, not in the page: tsconfig.e2e.json leaves the DOM library out, and these are all they
// get.

declare function setTimeout(callback: (...args: unknown[]) => void, ms?: number): unknown;

declare class URL {
  constructor(url: string, base?: string);
  readonly hash: string;
}

declare var process: { readonly env: Readonly<Record<string, string | undefined>> };

interface Buffer extends Uint8Array {
  writeBigUInt64BE(value: bigint, offset?: number): number;
  readUInt32BE(offset?: number): number;
}
declare var Buffer: {
  from(bytes: readonly number[]): Buffer;
  alloc(size: number): Buffer;
};

declare module "node:crypto" {
  interface Hmac {
    update(data: Uint8Array | string): Hmac;
    digest(): Buffer;
  }
  export function createHmac(algorithm: string, key: Uint8Array | string): Hmac;
}

declare module "node:fs" {
  export function readFileSync(path: string, encoding: "utf8"): string;
  export function writeFileSync(path: string, data: string): void;
}

declare module "node:path" {
  export function join(...parts: string[]): string;
  export function basename(path: string): string;
  export function dirname(path: string): string;
}

import type { Row } from '@evolve/core';
import type { FindOptions, SortSpec } from './document-store.ts';
import { type Projection, projectDocument } from './project-document.ts';

/** Reads raw documents for the cursor's current options. */
export type CursorSource = (options: FindOptions) => AsyncIterable<Row>;
/** Upgrades a page of raw documents (and writes them back when enabled). */
export type CursorPresenter<T> = (raw: readonly Row[]) => Promise<T[]>;

const PAGE = 100;

/**
 * The cursor `versioned(...).find()` returns: the driver cursor's common surface (`sort`, `limit`, `skip`,
 * `project`, `toArray`, `next`, `hasNext`, `forEach`, async iteration, `close`), yielding upgraded documents.
 */
export class VersionedCursor<T = Row> implements AsyncIterable<T> {
  #options: FindOptions = {};
  #projection: Projection | undefined;
  #iterator: AsyncIterator<T> | undefined;
  #peeked: IteratorResult<T> | undefined;
  readonly #source: CursorSource;
  readonly #present: CursorPresenter<T>;

  constructor(
    source: CursorSource,
    present: CursorPresenter<T>,
    options: FindOptions & { projection?: Projection } = {},
  ) {
    this.#source = source;
    this.#present = present;
    const { projection, ...find } = options;
    this.#options = find;
    this.#projection = projection;
  }

  sort(sort: SortSpec): this {
    this.#options = { ...this.#options, sort };
    return this;
  }

  limit(limit: number): this {
    this.#options = { ...this.#options, limit };
    return this;
  }

  skip(skip: number): this {
    this.#options = { ...this.#options, skip };
    return this;
  }

  project(projection: Projection): this {
    this.#projection = projection;
    return this;
  }

  async *#pages(): AsyncGenerator<T> {
    let page: Row[] = [];
    const flush = async () => {
      const shown = await this.#present(page);
      page = [];
      return this.#projection ? shown.map((d) => projectDocument(d as Row, this.#projection!) as T) : shown;
    };
    for await (const raw of this.#source(this.#options)) {
      page.push(raw);
      if (page.length >= PAGE) yield* await flush();
    }
    if (page.length) yield* await flush();
  }

  #it(): AsyncIterator<T> {
    this.#iterator ??= this.#pages();
    return this.#iterator;
  }

  async next(): Promise<T | null> {
    const result = this.#peeked ?? (await this.#it().next());
    this.#peeked = undefined;
    return result.done ? null : result.value;
  }

  async hasNext(): Promise<boolean> {
    this.#peeked ??= await this.#it().next();
    return !this.#peeked.done;
  }

  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const doc of this) out.push(doc);
    return out;
  }

  async forEach(fn: (doc: T) => unknown): Promise<void> {
    for await (const doc of this) if ((await fn(doc)) === false) break;
  }

  async close(): Promise<void> {
    await this.#iterator?.return?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const doc = await this.next();
      if (doc === null) return;
      yield doc;
    }
  }
}

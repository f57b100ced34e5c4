import {
  type DatabaseIntrospector,
  type DialectAdapter,
  DummyDriver,
  Kysely,
  type QueryCompiler,
} from 'kysely';

/** A Kysely instance that compiles queries for a dialect and never opens a connection. */
export function dummyKysely(parts: {
  adapter: () => DialectAdapter;
  introspector: (db: Kysely<any>) => DatabaseIntrospector;
  compiler: () => QueryCompiler;
}): Kysely<any> {
  return new Kysely<any>({
    dialect: {
      createAdapter: parts.adapter,
      createDriver: () => new DummyDriver(),
      createIntrospector: parts.introspector,
      createQueryCompiler: parts.compiler,
    },
  });
}

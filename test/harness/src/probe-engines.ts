import type { EngineAvailability } from './engines.ts';
import { ferretdbBinary, startFerretdb } from './start-ferretdb.ts';

type Stop = () => Promise<void>;

async function canConnectPostgres(url: string): Promise<string | undefined> {
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `cannot connect to ${url}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

async function canConnectMysql(url: string): Promise<string | undefined> {
  const mysql = await import('mysql2/promise');
  try {
    const conn = await mysql.createConnection({ uri: url, connectTimeout: 3000 });
    await conn.query('select 1');
    await conn.end();
    return undefined;
  } catch (error) {
    return `cannot connect to ${url}: ${(error as Error).message}`;
  }
}

async function canConnectMongo(url: string): Promise<string | undefined> {
  const { MongoClient } = await import('mongodb');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return undefined;
  } catch (error) {
    return `cannot connect to ${url}: ${(error as Error).message}`;
  } finally {
    await client.close().catch(() => {});
  }
}

async function containerRuntimeExists(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves each server engine: env URL, else (MongoDB only) a FerretDB server built by scripts/services.sh,
 * else a testcontainers container, else unavailable.
 */
export async function probeEngines(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ availability: EngineAvailability; stop: Stop }> {
  const availability: EngineAvailability = { urls: {}, unavailable: {} };
  const stops: Stop[] = [];
  let runtime: boolean | undefined;
  const hasRuntime = async () => {
    runtime ??= await containerRuntimeExists();
    return runtime;
  };

  const servers = [
    {
      engine: 'postgres' as const,
      envVar: 'EVOLVE_TEST_POSTGRES_URL',
      check: canConnectPostgres,
      start: async () => {
        const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
        const c = await new PostgreSqlContainer('postgres:16-alpine').start();
        return { url: c.getConnectionUri(), stop: async () => void (await c.stop()) };
      },
    },
    {
      engine: 'mysql' as const,
      envVar: 'EVOLVE_TEST_MYSQL_URL',
      check: canConnectMysql,
      start: async () => {
        const { MySqlContainer } = await import('@testcontainers/mysql');
        const c = await new MySqlContainer('mysql:8.0').withRootPassword('root').start();
        return {
          url: `mysql://root:root@${c.getHost()}:${c.getPort()}/${c.getDatabase()}`,
          stop: async () => void (await c.stop()),
        };
      },
    },
    {
      engine: 'mongodb' as const,
      envVar: 'EVOLVE_TEST_MONGODB_URL',
      check: canConnectMongo,
      start: async () => {
        const { MongoDBContainer } = await import('@testcontainers/mongodb');
        const c = await new MongoDBContainer('mongo:7').start();
        return {
          url: `${c.getConnectionString()}?directConnection=true`,
          stop: async () => void (await c.stop()),
        };
      },
    },
  ];

  for (const server of servers) {
    const url = env[server.envVar];
    if (url) {
      const problem = await server.check(url);
      if (problem) availability.unavailable[server.engine] = `${server.envVar}: ${problem}`;
      else availability.urls[server.engine] = url;
    } else if (server.engine === 'mongodb' && ferretdbBinary(env)) {
      try {
        const started = await startFerretdb(ferretdbBinary(env) as string, canConnectMongo);
        availability.urls.mongodb = started.url;
        stops.push(started.stop);
      } catch (error) {
        availability.unavailable.mongodb = (error as Error).message;
      }
    } else if (await hasRuntime()) {
      try {
        const started = await server.start();
        availability.urls[server.engine] = started.url;
        stops.push(started.stop);
      } catch (error) {
        availability.unavailable[server.engine] = `container failed: ${(error as Error).message}`;
      }
    } else {
      availability.unavailable[server.engine] =
        `${server.envVar} is not set and no container runtime was found`;
    }
  }

  return {
    availability,
    stop: async () => {
      await Promise.all(stops.map((s) => s()));
    },
  };
}

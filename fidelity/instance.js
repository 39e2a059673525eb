// One real Prisma 7 "function instance" for ./storecap fidelity: a PrismaClient with the
// @prisma/adapter-pg driver adapter (a node-postgres Pool with its defaults: max 10, idle 10 s,
// no connection timeout) against $DATABASE_URL, as a Vercel function builds it at module scope.
//
//   DATABASE_URL=postgresql://user:pass@host:port/db?application_name=NAME node instance.js [CASE]
//
// CASE runs one sequence and then stays idle: single (1 query), fanout (Promise.all of 20), idle
// (nothing). Without it, or after it, commands are read one a line on stdin:
//   query N SLEEP_S   Promise.all of N raw queries SELECT pg_sleep(SLEEP_S)::text; prints DONE N MS
//   exit              $disconnect() and exit
// A raw query must return a type Prisma can deserialise, hence the ::text on pg_sleep's void.
// The process stays alive (and its pool's idle timers run) until stdin closes or a signal stops it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { PrismaClient } = require('@prisma/client');
const { PrismaPg } = require('@prisma/adapter-pg');

const CASES = { single: [1, 0.2], fanout: [20, 0.2], idle: null };

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('ERROR DATABASE_URL is not set (postgresql://user:password@host:port/db?application_name=NAME)');
  process.exit(2);
}
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });

function version(pkg) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

async function query(n, sleepS) {
  if (!(Number.isInteger(n) && n > 0 && n <= 1000) || !(sleepS >= 0 && sleepS <= 60)) {
    throw new Error(`query N SLEEP_S needs N in 1..1000 and SLEEP_S in 0..60, was ${n} ${sleepS}`);
  }
  const t0 = Date.now();
  const sql = `SELECT pg_sleep(${Number(sleepS)})::text AS slept`;
  await Promise.all(Array.from({ length: n }, () => prisma.$queryRawUnsafe(sql)));
  console.log(`DONE ${n} ${Date.now() - t0}`);
}

async function main() {
  const name = process.argv[2];
  if (name !== undefined && !(name in CASES)) {
    console.error(`ERROR unknown case '${name}': one of ${Object.keys(CASES).join(', ')}`);
    process.exit(2);
  }
  console.log(`READY ${process.pid} @prisma/client ${version('@prisma/client')} @prisma/adapter-pg ${version('@prisma/adapter-pg')}`
    + ` pg ${version('pg')} node ${process.versions.node}`);
  if (name && CASES[name]) await query(...CASES[name]);
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [cmd, ...args] = line.trim().split(/\s+/);
    try {
      if (cmd === 'query') await query(Number(args[0]), Number(args[1] ?? 0.2));
      else if (cmd === 'exit') break;
      else if (cmd) console.log(`ERROR unknown command '${cmd}': query N SLEEP_S or exit`);
    } catch (e) {
      console.log(`ERROR ${String(e && e.message).split('\n').join(' ')}`);
    }
  }
  await prisma.$disconnect();
  process.exit(0);
}

main().catch((e) => {
  console.error(`ERROR ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});

import { ensureTestTools } from './tools';

/**
 * `node --import tsx test/harness/cli.ts install` installs the real-VS-Code test tools
 * (idempotent; package.json's test:integration and test:ui run it first).
 */
async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  if (command !== 'install') throw new Error('usage: cli.ts install');
  const tools = await ensureTestTools();
  console.log(`[tools] ready: node ${tools.node}, code-server ${tools.codeServer}, chromium ${tools.chromium}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

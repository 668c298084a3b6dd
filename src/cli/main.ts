import { Command, CommanderError, Option } from 'commander';
import { reportError } from './error-boundary.js';
import { ExitCode } from './exit-codes.js';
import { processIo, type CommandIo } from './io.js';
import type { OpenCommandContext } from '../app/command-context.js';
import { positiveInteger, positiveNumber } from './number-options.js';
import type { GlobalOptions } from '../app/global-options.js';

// Each command's module is imported when that command runs (\`await import\` in its action):
// \`labform plan\` does not load the executor, the report's page or the console's process spawning.
type Action = (io: CommandIo, global: GlobalOptions) => Promise<number>;

/** A repeatable option's values (`--target a --target b`). */
const collect = (value: string, previous: string[] = []) => [...previous, value];

function globalOptionsOf(opts: Record<string, unknown>): GlobalOptions {
  // Checked (with LABFORM_SIM_SPEED) by simSpeedFrom when a command opens its context.
  const speed = opts.simSpeed === undefined ? undefined : (opts.simSpeed as string);
  return {
    stateDir: opts.stateDir as string | undefined,
    logFile: opts.logFile as string | undefined,
    logLevel: opts.logLevel as string | undefined,
    color: opts.color !== false,
    debug: Boolean(opts.debug),
    sim: Boolean(opts.sim),
    simSpeed: speed,
  };
}

function withCommonOptions(command: Command, options: { sim: boolean }): Command {
  command
    .option('--state-dir <dir>', 'state directory (default: .labform beside the manifest)')
    .option('--log-file <file>', 'write JSON logs of every step, request and poll to FILE')
    .addOption(
      new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error']),
    )
    .option('--no-color', 'no colour in output')
    .option('--debug', 'print stack traces');
  if (options.sim) {
    command
      .option('--sim', "replace every host's connection with the built-in simulator")
      .option(
        '--sim-speed <n>',
        'simulated seconds per real second (simulator only)',
        positiveNumber(
          'a positive number of simulated seconds per real second, such as 200 (the default) or 1000',
        ),
      );
  }
  return command;
}

/** What `main` can be given instead of the real thing (tests): how commands open their context. */
export interface CliServices {
  openContext?: OpenCommandContext;
}

/** Runs the command line; returns the exit code. The only place that decides exit codes. */
export async function main(
  argv: string[],
  ioOverride?: CommandIo,
  services: CliServices = {},
): Promise<number> {
  let pending: Action | undefined;
  let globals: GlobalOptions = { color: true, debug: argv.includes('--debug'), sim: false };
  const program = new Command('labform')
    .description('Declarative Hyper-V lab provisioner')
    .version('0.1.0')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => (ioOverride ?? processIo()).stdout.write(s),
      writeErr: (s) => (ioOverride ?? processIo()).stderr.write(s),
    });

  const define = (
    name: string,
    description: string,
    sim: boolean,
    build: (c: Command) => Command,
    action: (args: unknown[], opts: Record<string, unknown>) => Action,
  ) => {
    const command = withCommonOptions(build(program.command(name).description(description)), { sim });
    command.action((...raw: unknown[]) => {
      const cmd = raw[raw.length - 1] as Command;
      const opts = cmd.opts();
      globals = globalOptionsOf(opts);
      pending = action(raw.slice(0, -2), opts);
    });
  };

  define(
    'validate',
    'parse and check a manifest; print every error',
    false,
    (c) => c.argument('<file>'),
    ([file]) =>
      async (io, g) =>
        (await import('./commands/validate.js')).runValidate({ file: file as string, global: g, io }),
  );
  define(
    'plan',
    'read live state and print what apply would do',
    true,
    (c) =>
      c
        .argument('<file>')
        .option('--json', 'print the plan as JSON')
        .option('--out <plan>', 'save the plan to a file')
        .option('--detailed-exitcode', 'exit 2 when there are changes')
        .option(
          '--replace <address>',
          'replace this resource even if it matches (repeatable), e.g. vm.dc01',
          collect,
        )
        .option('--target <address>', 'plan only this resource and what it depends on (repeatable)', collect)
        .option('--destroy', 'the plan of destroy: everything the lab owns removed'),
    ([file], o) =>
      async (io, g) =>
        (await import('./commands/plan.js')).runPlan({
          open: services.openContext,
          file: file as string,
          json: Boolean(o.json),
          out: o.out as string | undefined,
          detailedExitcode: Boolean(o.detailedExitcode),
          replace: (o.replace as string[] | undefined) ?? [],
          target: (o.target as string[] | undefined) ?? [],
          destroy: Boolean(o.destroy),
          global: g,
          io,
        }),
  );
  define(
    'apply',
    'make the hosts match the manifest',
    true,
    (c) =>
      c
        .argument('<file>')
        .argument('[plan]', 'a plan saved with plan --out')
        .option('-y, --auto-approve', 'do not ask for confirmation')
        .option(
          '--parallelism <n>',
          'most steps running at once, lab-wide',
          positiveInteger('a whole number of steps, 1 or more, such as 4'),
        )
        .option(
          '--replace <address>',
          'replace this resource even if it matches (repeatable), e.g. vm.dc01',
          collect,
        )
        .option(
          '--target <address>',
          'apply only this resource and what it depends on (repeatable)',
          collect,
        ),
    ([file, plan], o) =>
      async (io, g) =>
        (await import('./commands/apply.js')).runApply({
          open: services.openContext,
          file: file as string,
          planFile: plan as string | undefined,
          autoApprove: Boolean(o.autoApprove),
          parallelism: o.parallelism === undefined ? undefined : Number(o.parallelism),
          replace: (o.replace as string[] | undefined) ?? [],
          target: (o.target as string[] | undefined) ?? [],
          global: g,
          io,
        }),
  );
  define(
    'destroy',
    'remove everything the lab owns, and nothing else',
    true,
    (c) => c.argument('<file>').option('-y, --auto-approve', 'do not ask for confirmation'),
    ([file], o) =>
      async (io, g) =>
        (await import('./commands/destroy.js')).runDestroy({
          open: services.openContext,
          file: file as string,
          autoApprove: Boolean(o.autoApprove),
          global: g,
          io,
        }),
  );
  define(
    'show',
    'everything the lab owns, live (or an inventory with --format), or a plan saved with plan --out',
    true,
    (c) =>
      c
        .argument('<file>', 'the manifest, or a saved plan')
        .option('--json', 'print JSON')
        .addOption(
          new Option('--format <format>', 'write an inventory instead').choices([
            'ssh-config',
            'ansible',
            'hosts',
          ]),
        ),
    ([file], o) =>
      async (io, g) => {
        const savedPlan = await import('./commands/show-plan.js');
        if (await savedPlan.isSavedPlanFile(file as string))
          return savedPlan.runShowPlan({ file: file as string, json: Boolean(o.json), io });
        return (await import('./commands/show.js')).runShow({
          open: services.openContext,
          file: file as string,
          json: Boolean(o.json),
          format: o.format as 'ssh-config' | 'ansible' | 'hosts' | undefined,
          global: g,
          io,
        });
      },
  );
  define(
    'graph',
    "the plan's dependency graph",
    true,
    (c) =>
      c
        .argument('<file>')
        .addOption(
          new Option('--format <format>', 'output format').choices(['dot', 'mermaid']).default('dot'),
        ),
    ([file], o) =>
      async (io, g) =>
        (await import('./commands/graph.js')).runGraph({
          open: services.openContext,
          file: file as string,
          format: o.format as 'dot' | 'mermaid',
          global: g,
          io,
        }),
  );
  define(
    'checkpoint',
    'a named, consistent checkpoint of every lab VM (or --list, --delete NAME)',
    true,
    (c) =>
      c
        .argument('<file>')
        .argument('[name]')
        .option('--list', "list the lab's checkpoints")
        .option('--delete <name>', 'delete a checkpoint from every lab VM')
        .option('-y, --auto-approve', 'do not ask for confirmation'),
    ([file, name], o) =>
      async (io, g) =>
        (await import('./commands/checkpoint.js')).runCheckpoint({
          open: services.openContext,
          file: file as string,
          name: name as string | undefined,
          list: Boolean(o.list),
          delete: o.delete as string | undefined,
          autoApprove: Boolean(o.autoApprove),
          global: g,
          io,
        }),
  );
  define(
    'restore',
    'every lab VM back to a checkpoint',
    true,
    (c) =>
      c.argument('<file>').argument('<name>').option('-y, --auto-approve', 'do not ask for confirmation'),
    ([file, name], o) =>
      async (io, g) =>
        (await import('./commands/restore.js')).runRestore({
          open: services.openContext,
          file: file as string,
          name: name as string,
          autoApprove: Boolean(o.autoApprove),
          global: g,
          io,
        }),
  );
  program
    .command('schema')
    .description('print the JSON Schema of manifests (for editors)')
    .option('--path', 'print only the absolute path of the schema file')
    .action((opts: { path?: boolean }) => {
      pending = async (io) =>
        (await import('./commands/schema.js')).runSchema({ path: Boolean(opts.path), io });
    });

  define(
    'exec',
    'run a command in a guest (PowerShell Direct, or SSH for Linux); exits with its exit code',
    true,
    (c) =>
      c
        .argument('<file>')
        .argument('<vm>')
        .argument('[command...]', 'the command, after --')
        .option(
          '--credential <name>',
          "one of the lab's credentials (default: the one labform uses for the VM)",
        ),
    ([file, vm, command], o) =>
      async (io, g) =>
        (await import('./commands/exec.js')).runExec({
          open: services.openContext,
          file: file as string,
          vm: vm as string,
          command: (command as string[] | undefined) ?? [],
          credential: o.credential as string | undefined,
          global: g,
          io,
        }),
  );
  define(
    'cp',
    'copy a file into a guest (SRC VM:DST) or out of one (VM:SRC DST)',
    true,
    (c) =>
      c
        .argument('<file>')
        .argument('<source>')
        .argument('<destination>')
        .option('--credential <name>', "one of the lab's credentials"),
    ([file, source, destination], o) =>
      async (io, g) =>
        (await import('./commands/cp.js')).runCp({
          open: services.openContext,
          file: file as string,
          source: source as string,
          destination: destination as string,
          credential: o.credential as string | undefined,
          global: g,
          io,
        }),
  );
  define(
    'console',
    "open a VM's console (vmconnect), or print the command to run",
    true,
    (c) => c.argument('<file>').argument('<vm>'),
    ([file, vm]) =>
      async (io, g) =>
        (await import('./commands/console.js')).runConsole({
          open: services.openContext,
          file: file as string,
          vm: vm as string,
          global: g,
          io,
        }),
  );
  define(
    'rdp',
    "write a .rdp file for a guest's address",
    true,
    (c) =>
      c.argument('<file>').argument('<vm>').option('--out <file>', 'where to write it (default: VM.rdp)'),
    ([file, vm], o) =>
      async (io, g) =>
        (await import('./commands/rdp.js')).runRdp({
          open: services.openContext,
          file: file as string,
          vm: vm as string,
          out: o.out as string | undefined,
          global: g,
          io,
        }),
  );
  define(
    'report',
    'one HTML page: the topology and the last apply as a timeline',
    true,
    (c) => c.argument('<file>').option('--out <file>', 'where to write it (default: LAB.html)'),
    ([file], o) =>
      async (io, g) =>
        (await import('./commands/report.js')).runReport({
          open: services.openContext,
          file: file as string,
          out: o.out as string | undefined,
          global: g,
          io,
        }),
  );
  define(
    'start',
    "start the lab's VMs (or some) in dependency order, with the waits",
    true,
    (c) => c.argument('<file>').argument('[vms...]'),
    ([file, vms]) =>
      async (io, g) =>
        (await import('./commands/power.js')).runStart({
          open: services.openContext,
          file: file as string,
          vms: (vms as string[] | undefined) ?? [],
          global: g,
          io,
        }),
  );
  define(
    'stop',
    "shut the lab's VMs (or some) down, members before their DCs",
    true,
    (c) => c.argument('<file>').argument('[vms...]'),
    ([file, vms]) =>
      async (io, g) =>
        (await import('./commands/power.js')).runStop({
          open: services.openContext,
          file: file as string,
          vms: (vms as string[] | undefined) ?? [],
          global: g,
          io,
        }),
  );

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; anything else is an input error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.inputRejected;
    }
    return reportError(error, ioOverride ?? processIo(), { debug: globals.debug });
  }
  if (!pending) return ExitCode.ok;
  const io = ioOverride ?? processIo({ noColor: !globals.color });
  try {
    return await pending(io, globals);
  } catch (error) {
    return reportError(error, io, { debug: globals.debug });
  }
}

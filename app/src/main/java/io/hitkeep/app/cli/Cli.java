package io.hitkeep.app.cli;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The jar's commands besides serving: {@code backup}, {@code restore}, {@code rebuild}, {@code export},
 * {@code user create}, {@code user reset-password}, {@code config check}, {@code rebuild-rollups}; each with
 * {@code --help}. Options are {@code --name=value} or {@code --name value}; every setting (e.g. {@code --data-path})
 * works too. Exit codes: 0 done, 1 failed (the message says why), 2 the command line is wrong. Results go to
 * standard output, messages to standard error. Stateless.
 */
public final class Cli {
    /** A command: its name (one or two words), options, one-line summary and the work. */
    interface Command {
        String name();

        String summary();

        /** Option name to its description; a name ending in {@code !} is required, one ending in {@code ?} takes no value. */
        Map<String, String> options();

        int run(Arguments arguments, PrintStream out, PrintStream err) throws Exception;
    }

    /** What a command does with its arguments; answers the exit code. */
    @FunctionalInterface
    interface Work {
        int run(Arguments arguments, PrintStream out, PrintStream err) throws Exception;
    }

    /** A command declared by its parts, as the command files list theirs. */
    record Declared(String name, String summary, Map<String, String> options, Work work) implements Command {
        @Override
        public int run(Arguments arguments, PrintStream out, PrintStream err) throws Exception {
            return work.run(arguments, out, err);
        }
    }

    /** A usage error: exit code 2 and the command's help. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** A command's options as given, and the settings they and the environment make. */
    record Arguments(Map<String, String> options, Settings settings) {
        Optional<String> option(String name) {
            return Optional.ofNullable(options.get(name)).filter(value -> !value.isBlank());
        }

        String required(String name) {
            return option(name).orElseThrow(() -> new UsageException("--" + name + " is required"));
        }

        boolean flag(String name) {
            return options.containsKey(name);
        }
    }

    static final Command REBUILD_ROLLUPS = new Declared("rebuild-rollups", """
                roll every site's rollups again from its hits
                HitKeep must be stopped. For hits changed behind the writer's back; a running server's rollups are
                rolled again by POST /api/sites/{id}/rollups/rebuild instead.""", Map.of(), (arguments, out, err) -> {
        long started = System.nanoTime();
        int days = io.hitkeep.query.RollupRebuild.rebuildAll(arguments.settings());
        out.println("rolled " + days + " days in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return 0;
    });

    static final List<Command> COMMANDS = List.of(BackupCommands.BACKUP, BackupCommands.RESTORE, BackupCommands.REBUILD,
            new ExportCommand(), UserCommands.CREATE, UserCommands.RESET_PASSWORD, new ConfigCheck(), REBUILD_ROLLUPS);

    private Cli() {
    }

    /** Whether the jar's first argument names a command (rather than a role or a setting). */
    public static boolean isCommand(String first) {
        return first.equals("help") || first.equals("--help") || first.equals("-h")
                || COMMANDS.stream().anyMatch(command -> command.name().split(" ")[0].equals(first));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of("help", "--help", "-h").contains(args[0])) {
            out.print(overview());
            return 0;
        }
        Optional<Command> found = COMMANDS.stream().filter(command -> matches(command, args)).findFirst();
        if (found.isEmpty()) {
            err.println("unknown command: " + String.join(" ", Arrays.asList(args).subList(0, Math.min(2, args.length))));
            err.print(overview());
            return 2;
        }
        Command command = found.get();
        List<String> rest = Arrays.asList(args).subList(command.name().split(" ").length, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(help(command));
            return 0;
        }
        quietLogs(rest.contains("--verbose"));
        try {
            return command.run(parse(command, rest), out, err);
        } catch (UsageException e) {
            err.println("hitkeep " + command.name() + ": " + e.getMessage());
            err.print(help(command));
            return 2;
        } catch (HitKeepException | UncheckedIOException e) {
            err.println("hitkeep " + command.name() + " failed: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("hitkeep " + command.name() + " failed: " + e);
            return 1;
        }
    }

    private static boolean matches(Command command, String[] args) {
        String[] words = command.name().split(" ");
        if (args.length < words.length) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            if (!words[i].equals(args[i])) {
                return false;
            }
        }
        return true;
    }

    /** {@code --name=value} and {@code --name value}; options of the command and settings, nothing else. */
    static Arguments parse(Command command, List<String> rest) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            String argument = rest.get(i);
            if (!argument.startsWith("--")) {
                throw new UsageException("unexpected argument '" + argument + "'");
            }
            int equals = argument.indexOf('=');
            String name = argument.substring(2, equals < 0 ? argument.length() : equals);
            String value;
            boolean isFlag = command.options().containsKey(name + "?") || name.equals("verbose");
            boolean isOption = command.options().containsKey(name) || command.options().containsKey(name + "!") || isFlag;
            if (!isOption && !ConfigCheck.known(name) && !name.equals("config")) {
                throw new UsageException("unknown option --" + name);
            }
            if (equals >= 0) {
                value = argument.substring(equals + 1);
            } else if (isFlag) {
                value = "true";
            } else if (i + 1 < rest.size() && !rest.get(i + 1).startsWith("--")) {
                value = rest.get(++i);
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            if (isOption) {
                options.put(name, value);
            } else {
                settings.add("--" + name + "=" + value);
            }
        }
        for (String option : command.options().keySet()) {
            if (option.endsWith("!") && !options.containsKey(option.substring(0, option.length() - 1))) {
                throw new UsageException("--" + option.substring(0, option.length() - 1) + " is required");
            }
        }
        return new Arguments(options, Settings.load(settings.toArray(String[]::new)));
    }

    /** The broker and writer log at INFO while a command runs; a command's own output is what matters. */
    private static void quietLogs(boolean verbose) {
        Logger root = Logger.getLogger("");
        root.setLevel(verbose ? Level.INFO : Level.WARNING);
        for (var handler : root.getHandlers()) {
            handler.setLevel(verbose ? Level.INFO : Level.WARNING);
        }
    }

    static String help(Command command) {
        StringBuilder help = new StringBuilder("usage: java -jar hitkeep.jar ").append(command.name());
        command.options().forEach((name, description) -> {
            String plain = name.replaceAll("[!?]$", "");
            String shown = name.endsWith("?") ? "--" + plain : "--" + plain + "=" + plain.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            help.append(' ').append(name.endsWith("!") ? shown : "[" + shown + "]");
        });
        help.append("\n\n").append(command.summary()).append("\n\n");
        command.options().forEach((name, description) -> help.append(String.format("  --%-18s %s%n", name.replaceAll("[!?]$", ""), description)));
        help.append(String.format("  --%-18s %s%n", "verbose", "show the log (warnings only by default)"));
        help.append("\nEvery setting works as an option or HITKEEP_* variable too (--data-path=DIR, HITKEEP_DATA_PATH).\n"
                + "Exit codes: 0 done, 1 failed, 2 wrong command line.\n");
        return help.toString();
    }

    static String overview() {
        StringBuilder text = new StringBuilder("usage: java -jar hitkeep.jar [serve | COMMAND] [--help]\n\n"
                + "  serve                  run HitKeep (the default; HITKEEP_ROLE or --role picks a role of a split deployment)\n");
        for (Command command : COMMANDS) {
            text.append(String.format("  %-22s %s%n", command.name(), command.summary().lines().findFirst().orElse("")));
        }
        return text.append("\n'java -jar hitkeep.jar COMMAND --help' tells more.\n").toString();
    }
}

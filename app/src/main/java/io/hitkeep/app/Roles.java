package io.hitkeep.app;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.web.Launcher;
import io.hitkeep.core.Settings;
import io.hitkeep.gateway.GatewayMain;
import io.hitkeep.query.QueryMain;
import io.hitkeep.reports.digest.ReportsApi;
import io.hitkeep.reports.jobs.ReportsMain;
import io.hitkeep.app.cli.Cli;
import io.hitkeep.reports.export.ExportApi;
import io.hitkeep.writer.WriterMain;

import java.util.Locale;

/**
 * The jar's entry point: runs the role named by {@code HITKEEP_ROLE} (also {@code --role=...}, a YAML
 * key, or a first argument without dashes, as a container's command gives it): {@code all} (the
 * default, the single binary), {@code gateway}, {@code writer}, {@code query} or {@code reports}. Each
 * role is its own module's {@code main}; this class only chooses, so one image serves every role. A first
 * argument that names a command ({@code backup}, {@code restore}, {@code export}, ... see {@link Cli}) runs that
 * command instead; {@code serve} is the default command and runs the role.
 * Stateless.
 */
public final class Roles {
    static final String ROLE = "role";
    private static final java.util.Set<String> ROLES = java.util.Set.of("all", "gateway", "writer", "query", "reports");

    private Roles() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && (Cli.isCommand(args[0]) || !args[0].startsWith("--") && !args[0].equals("serve") && !ROLES.contains(args[0]))) {
            // a command, or a first word that is neither a command nor a role: the commands' usage error (exit 2)
            System.exit(Cli.run(args, System.out, System.err));
        }
        String role;
        String[] rest = args;
        if (args.length > 0 && args[0].equals("serve")) {
            // "serve" is the default command: whatever role the settings name (all, unless HITKEEP_ROLE says otherwise)
            rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        if (rest != args) {
            try {
                role = Settings.load(rest).value(ROLE, "all");
            } catch (RuntimeException e) {
                role = "all";
            }
        } else if (args.length > 0 && !args[0].startsWith("--")) {
            role = args[0];
            // kept as a flag, so the single binary's tuned re-execution of this jar runs the same role
            rest = new String[args.length];
            rest[0] = "--" + ROLE + "=" + role;
            System.arraycopy(args, 1, rest, 1, args.length - 1);
        } else {
            try {
                role = Settings.load(args).value(ROLE, "all");
            } catch (RuntimeException e) {
                // the single binary would refuse these arguments the same way
                role = "all";
            }
        }
        switch (role.trim().toLowerCase(Locale.ROOT)) {
            case "all" -> HitKeep.main(rest);
            case "gateway" -> GatewayMain.main(rest);
            case "writer" -> WriterMain.main(rest);
            // the role that serves /api serves the digests' and the exports' routes too; the reports role runs the scheduled jobs
            case "query" -> QueryMain.run(rest, (routing, settings, store) -> {
                ReportsApi.routing(routing, settings, store);
                ExportApi.routing(routing, store);
            });
            case "reports" -> ReportsMain.main(rest);
            default -> Launcher.fail(new HitKeepException("unknown role '" + role
                    + "': HITKEEP_ROLE is one of all, gateway, writer, query, reports"));
        }
    }
}

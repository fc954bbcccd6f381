package io.hitkeep.app;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;
import io.hitkeep.core.Settings;
import io.hitkeep.gateway.GatewayMain;
import io.hitkeep.query.QueryMain;
import io.hitkeep.writer.WriterMain;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * The jar's entry point: runs the role named by {@code HITKEEP_ROLE} (also {@code --role=...}, a YAML
 * key, or a first argument without dashes, as a container's command gives it): {@code all} (the
 * default, the single binary), {@code gateway}, {@code writer}, {@code query} or {@code reports}. Each
 * role is its own module's {@code main}; this class only chooses, so one image serves every role.
 * Stateless.
 */
public final class Roles {
    static final String ROLE = "role";

    private Roles() {
    }

    public static void main(String[] args) {
        String role;
        String[] rest = args;
        if (args.length > 0 && !args[0].startsWith("--")) {
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
            case "query" -> QueryMain.main(rest);
            case "reports" -> reports(rest);
            // a step, not a role: rolls the rollups again on a stopped installation, then exits
            case "rebuild-rollups" -> io.hitkeep.query.RollupRebuild.main(rest);
            default -> Launcher.fail(new HitKeepException("unknown role '" + role
                    + "': HITKEEP_ROLE is one of all, gateway, writer, query, reports (or the step rebuild-rollups)"));
        }
    }

    /** Holds the reports role's place in a deployment: answers health checks and does nothing else yet. */
    private static void reports(String[] args) {
        try {
            Launcher launcher = new Launcher();
            Settings settings = Settings.load(args);
            Logger.getLogger(Roles.class.getName()).info("reports role: its issue has not landed yet; "
                    + "this process only answers /healthz and /readyz and sends no e-mail, digests or backups");
            launcher.serve(settings, routing -> routing.addFeature(new Observability()));
        } catch (RuntimeException e) {
            Launcher.fail(e);
        }
    }
}

package io.hitkeep.app.cli;

import io.hitkeep.auth.AccountRoutes;
import io.hitkeep.auth.AccountSecurity;
import io.hitkeep.auth.Accounts;
import io.hitkeep.auth.PasswordHasher;
import io.hitkeep.auth.RandomTokens;
import io.hitkeep.core.DomainError;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code user create} and {@code user reset-password}: the operator's way in when nobody can sign in. The password
 * comes from standard input ({@code --password-stdin}, first line) or is made up and printed once. Stateless.
 */
final class UserCommands {
    private UserCommands() {
    }

    private static Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("email!", "the account's e-mail address");
        options.put("password-stdin?", "read the password from the first line of standard input (else one is made up and printed)");
        return options;
    }

    static final Cli.Command CREATE = new Cli.Declared("user create",
            "create an account with a team of its own (works on a running or stopped installation)", options(), UserCommands::create);

    static final Cli.Command RESET_PASSWORD = new Cli.Declared("user reset-password",
            "set a new password for an account and end all its sessions", options(), UserCommands::resetPassword);

    private static int create(Cli.Arguments arguments, PrintStream out, PrintStream err) throws IOException {
        String email = email(arguments);
        Password password = password(arguments);
        try (Installation installation = Installation.reach(arguments.settings(), true)) {
            Accounts.CreatedUser user = installation.store().call(Accounts.CREATE_USER,
                    new Accounts.NewUser(email, new PasswordHasher().hash(password.text())));
            out.println("created user " + user.id() + " (" + email + ") with team " + user.teamId());
            password.printIfMadeUp(out);
        }
        return 0;
    }

    private static int resetPassword(Cli.Arguments arguments, PrintStream out, PrintStream err) throws IOException {
        String email = email(arguments);
        Password password = password(arguments);
        try (Installation installation = Installation.reach(arguments.settings())) {
            long id = installation.store().call(Accounts.FIND_USER_BY_EMAIL, new Accounts.Email(email)).id();
            installation.store().call(AccountSecurity.SET_PASSWORD, new AccountSecurity.NewPassword(id, new PasswordHasher().hash(password.text())));
            out.println("new password set for user " + id + " (" + email + "); their sessions have ended");
            password.printIfMadeUp(out);
        }
        return 0;
    }

    private record Password(String text, boolean madeUp) {
        void printIfMadeUp(PrintStream out) {
            if (madeUp) {
                out.println("password (shown once): " + text);
            }
        }
    }

    private static String email(Cli.Arguments arguments) {
        try {
            return AccountRoutes.email(arguments.required("email"));
        } catch (DomainError e) {
            throw new Cli.UsageException(e.getMessage());
        }
    }

    private static Password password(Cli.Arguments arguments) throws IOException {
        if (!arguments.flag("password-stdin")) {
            return new Password(RandomTokens.next().substring(0, 20), true);
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        try {
            return new Password(AccountRoutes.password(line == null ? "" : line), false);
        } catch (DomainError e) {
            throw new Cli.UsageException(e.getMessage());
        }
    }
}

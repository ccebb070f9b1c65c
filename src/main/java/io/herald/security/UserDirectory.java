package io.herald.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Console users from {@code herald.security.users}: username, bcrypt password hash, role. Being a
 * {@link UserDetailsService} also keeps Spring Boot from generating (and logging) a default password.
 */
@Component
class UserDirectory implements UserDetailsService {
    private final Map<String, SecurityProperties.User> users = new LinkedHashMap<>();
    private final PasswordEncoder bcrypt = new BCryptPasswordEncoder();
    // Compared against when the username is unknown, so both cases take as long.
    private final String dummyHash = bcrypt.encode("herald-timing-equaliser");

    UserDirectory(SecurityProperties properties) {
        for (SecurityProperties.User user : properties.users()) {
            if (user.username() == null || user.username().isBlank()) {
                throw new IllegalStateException("herald.security.users: every user needs a username");
            }
            if (Role.parse(user.role()) == null) {
                throw new IllegalStateException("herald.security.users: user '" + user.username()
                        + "' needs role admin, editor or viewer");
            }
            String hash = stripId(user.password());
            if (hash == null || !hash.matches("^\\$2[aby]?\\$\\d\\d\\$.{53}$")) {
                throw new IllegalStateException("herald.security.users: user '" + user.username()
                        + "' needs a bcrypt password hash ($2a$..., e.g. from `htpasswd -bnBC 12 \"\" secret | tr -d ':\\n'`)");
            }
            users.put(user.username().toLowerCase(Locale.ROOT), user);
        }
    }

    boolean isEmpty() {
        return users.isEmpty();
    }

    /** The user if the password matches. */
    Optional<HeraldPrincipal> authenticate(String username, String password) {
        SecurityProperties.User user = username == null ? null : users.get(username.trim().toLowerCase(Locale.ROOT));
        if (user == null || password == null) {
            bcrypt.matches(password == null ? "" : password, dummyHash);
            return Optional.empty();
        }
        if (!bcrypt.matches(password, stripId(user.password()))) {
            return Optional.empty();
        }
        return Optional.of(HeraldPrincipal.user(user.username(), Role.parse(user.role())));
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        SecurityProperties.User user = users.get(username.toLowerCase(Locale.ROOT));
        if (user == null) {
            throw new UsernameNotFoundException("no such user");
        }
        return new User(user.username(), "{bcrypt}" + stripId(user.password()),
                List.of(new SimpleGrantedAuthority(Role.parse(user.role()).authority())));
    }

    private static String stripId(String hash) {
        if (hash == null) {
            return null;
        }
        return hash.startsWith("{bcrypt}") ? hash.substring("{bcrypt}".length()) : hash;
    }
}

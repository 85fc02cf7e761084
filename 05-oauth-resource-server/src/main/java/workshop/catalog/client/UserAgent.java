package workshop.catalog.client;

import java.net.URI;

/**
 * The user's side of the authorization code flow: the browser that opens the authorization request, where the user
 * logs in, and that comes back with the address the authorization server redirected it to at the end (the client's
 * redirect URI with {@code code} and {@code state}, or with {@code error}). A desktop client opens the system browser
 * and listens on its loopback redirect URI; the demo, the tests and {@code client} use {@link HeadlessLogin}.
 */
public interface UserAgent {

    /** Opens the authorization request; returns the redirect it ended with. */
    URI authorize(URI authorizationRequest);

    /** Who logs in, for the transcript (a user name, never a secret). */
    String who();
}

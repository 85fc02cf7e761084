package workshop.orders.auth.resourceserver;

/**
 * What {@link ResourceServerFilter} asks of a token: who it names, or why it is refused. {@link AccessTokenVerifier}
 * is the one the server uses; the filter takes this interface so that a test can build the filter around a verifier
 * of its own and grade the challenges without a real authorization server.
 */
@FunctionalInterface
public interface TokenVerifier {

    /** The caller the token names, or the reason it is refused in a fixed sentence. */
    AccessTokenVerifier.Verified verify(String token)
            throws AccessTokenVerifier.InvalidTokenException, IssuerKeys.UnavailableException;
}

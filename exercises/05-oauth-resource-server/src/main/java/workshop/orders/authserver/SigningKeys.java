package workshop.orders.authserver;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * The RS256 signing keys of the authorization server, rotatable at run time.
 *
 * <p>The newest key signs; the previous key stays published in the JWKS (at /oauth2/jwks) so that
 * tokens signed before a rotation still verify until they expire. Older keys are dropped.
 * Each key has a random {@code kid}; the JWT header carries it.
 */
public final class SigningKeys implements JWKSource<SecurityContext> {

    private volatile List<RSAKey> keys = List.of(newKey());

    /** The kid of the key that signs new tokens. */
    public String currentKid() {
        return keys.get(0).getKeyID();
    }

    /** Generates a new signing key, keeps the old one published, and returns the new kid. */
    public synchronized String rotate() {
        List<RSAKey> next = new ArrayList<>();
        next.add(newKey());
        next.add(keys.get(0));
        keys = List.copyOf(next);
        return currentKid();
    }

    /** The JWKS endpoint and the JWT decoder read every published key through this. */
    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector.select(new JWKSet(new ArrayList<JWK>(keys)));
    }

    /** The JWT encoder gets the candidates from {@link #get}; this picks the current one. */
    public JWK pickSigningKey(List<JWK> candidates) {
        String kid = currentKid();
        return candidates.stream().filter(k -> kid.equals(k.getKeyID())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no signing key with kid " + kid));
    }

    private static RSAKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .build();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

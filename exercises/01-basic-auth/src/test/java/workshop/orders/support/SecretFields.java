package workshop.orders.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;

/** Looks into an object's own fields, for the rule that a secret is kept only as a hash. */
public final class SecretFields {

    private SecretFields() {
    }

    /**
     * Fails when an instance field of {@code holder} (its classes of this workshop, not the servlet API's) holds
     * one of {@code secrets} as text, bytes or characters; returns how many fields it looked at.
     */
    public static int assertNoPlainCopy(Object holder, String... secrets) throws IllegalAccessException {
        int fields = 0;
        for (Class<?> type = holder.getClass(); type != null && type.getName().startsWith("workshop.");
                type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object value = field.get(holder);
                fields++;
                for (String secret : secrets) {
                    assertThat(value).as("field " + field.getName()).isNotEqualTo(secret);
                    if (value instanceof byte[] held) {
                        assertThat(held).as("field " + field.getName())
                                .isNotEqualTo(secret.getBytes(StandardCharsets.UTF_8));
                    }
                    if (value instanceof char[] held) {
                        assertThat(new String(held)).as("field " + field.getName()).isNotEqualTo(secret);
                    }
                }
            }
        }
        return fields;
    }
}

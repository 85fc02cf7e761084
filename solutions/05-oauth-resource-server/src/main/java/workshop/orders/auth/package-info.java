/**
 * The security layers, one package per step, in step order: {@code bearer} (01), {@code jwt} (02),
 * {@code permissions} (03), {@code pertool} (04), {@code resourceserver} (05); a module holds the ones its step has. Each opens its
 * {@code package-info} with the step that adds it. {@link workshop.orders.auth.BearerToken}, here, reads the
 * {@code Authorization} header for all of them.
 */
package workshop.orders.auth;

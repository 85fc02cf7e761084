/**
 * The step's demo: {@code Demo} holds its scenarios, {@link workshop.orders.demo.Transcript} writes what each
 * request got (the same class in every step, so a step's demo diff is its new scenarios).
 */
package workshop.orders.demo;

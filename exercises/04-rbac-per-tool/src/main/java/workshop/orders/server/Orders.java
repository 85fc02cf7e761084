package workshop.orders.server;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The orders desk: the open orders, in memory, safe for many request threads at once. */
public final class Orders {

    /** One open order: so many of a product. */
    public record Order(int id, String product, int quantity) {
    }

    private final ConcurrentSkipListMap<Integer, Order> open = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    /** A desk with a few open orders, so a fresh server has something to show. */
    public static Orders seeded() {
        Orders orders = new Orders();
        orders.place("Printer paper", 10);
        orders.place("Stapler", 2);
        orders.place("Whiteboard marker", 24);
        return orders;
    }

    /** All open orders, oldest first. */
    public List<Order> list() {
        return List.copyOf(open.values());
    }

    public Order place(String product, int quantity) {
        Order order = new Order(nextId.getAndIncrement(), product, quantity);
        open.put(order.id(), order);
        return order;
    }

    /** Cancels the open order and returns it, or empty when there is no open order with that id. */
    public Optional<Order> cancel(int id) {
        // remove() is atomic: of two concurrent cancels of one order, exactly one gets it back.
        return Optional.ofNullable(open.remove(id));
    }
}

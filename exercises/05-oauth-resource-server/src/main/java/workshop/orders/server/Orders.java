package workshop.orders.server;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The orders desk: the open orders, in memory, safe for many request threads at once. */
public final class Orders {

    /**
     * One open order: so many of a product, and who placed it.
     *
     * @param placedBy the user name of the user who placed it; null when the server knew no caller
     */
    public record Order(int id, String product, int quantity, String placedBy) {
    }

    private final ConcurrentSkipListMap<Integer, Order> open = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    /**
     * A desk with a few open orders, so a fresh server has something to show: alice placed #1, bob #2, and
     * carol #3, back when she could still place orders.
     */
    public static Orders seeded() {
        Orders orders = new Orders();
        orders.place("Printer paper", 10, "alice");
        orders.place("Stapler", 2, "bob");
        orders.place("Whiteboard marker", 24, "carol");
        return orders;
    }

    /** All open orders, oldest first. */
    public List<Order> list() {
        return List.copyOf(open.values());
    }

    public Order place(String product, int quantity, String placedBy) {
        Order order = new Order(nextId.getAndIncrement(), product, quantity, placedBy);
        open.put(order.id(), order);
        return order;
    }

    /** Who placed the open order with that id; empty when there is no such open order, or nobody is known. */
    public Optional<String> placedBy(int id) {
        // An id is never given out twice, so the answer cannot change to another user's name later.
        return Optional.ofNullable(open.get(id)).map(Order::placedBy);
    }

    /** Cancels the open order and returns it, or empty when there is no open order with that id. */
    public Optional<Order> cancel(int id) {
        // remove() is atomic: of two concurrent cancels of one order, exactly one gets it back.
        return Optional.ofNullable(open.remove(id));
    }
}

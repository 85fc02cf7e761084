package workshop.catalog.server;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The product catalog: an in-memory store that many request threads may use at once. */
public final class Catalog {

    /** One product. Prices are decimals, never doubles, so 0.10 + 0.20 stays 0.30. */
    public record Product(int id, String name, BigDecimal price) {
    }

    private final ConcurrentSkipListMap<Integer, Product> products = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    /** A catalog with a few products, so a fresh server has something to show. */
    public static Catalog seeded() {
        Catalog catalog = new Catalog();
        catalog.create("Laptop", new BigDecimal("1299.00"));
        catalog.create("Mechanical keyboard", new BigDecimal("89.50"));
        catalog.create("USB-C cable", new BigDecimal("9.99"));
        return catalog;
    }

    /** All products, ordered by id. */
    public List<Product> list() {
        return List.copyOf(products.values());
    }

    public Product create(String name, BigDecimal price) {
        Product product = new Product(nextId.getAndIncrement(), name, price);
        products.put(product.id(), product);
        return product;
    }

    /** Removes the product and returns it, or empty when there was no such id. */
    public Optional<Product> delete(int id) {
        return Optional.ofNullable(products.remove(id));
    }
}

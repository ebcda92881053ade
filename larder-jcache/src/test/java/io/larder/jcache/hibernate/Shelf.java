package io.larder.jcache.hibernate;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A shelf of books: a cached entity with a cached collection. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Shelf {
    @Id
    @GeneratedValue
    Long id;
    String name;
    @OneToMany(mappedBy = "shelf")
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    List<Book> books = new ArrayList<>();

    protected Shelf() {
    }

    Shelf(String name) {
        this.name = name;
    }
}

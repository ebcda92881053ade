package io.larder.jcache.hibernate;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A book on a shelf: a cached entity. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class Book {
    @Id
    @GeneratedValue
    Long id;
    String title;
    @ManyToOne
    Shelf shelf;

    protected Book() {
    }

    Book(String title, Shelf shelf) {
        this.title = title;
        this.shelf = shelf;
    }
}

package io.larder.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A test tag; the builder maps its changes to "tag-cloud" too. */
@Entity
@Table(name = "tag")
public class Tag {
    @Id
    @GeneratedValue
    Long id;
    String name;

    protected Tag() {
    }

    Tag(String name) {
        this.name = name;
    }
}

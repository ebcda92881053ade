package io.larder.hibernate;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import java.util.HashSet;
import java.util.Set;

/** A test post: a title, a counter, tags (many-to-many). */
@Entity
@Table(name = "post")
public class Post {
    @Id
    @GeneratedValue
    Long id;
    String title;
    int views;
    @ManyToMany
    Set<Tag> tags = new HashSet<>();

    protected Post() {
    }

    Post(String title) {
        this.title = title;
    }
}

package io.larder.springblog.admin;

import io.larder.blog.author.Author;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** The blog's authors (examples/blog's entity) through Spring Data JPA. */
public interface AuthorRepository extends JpaRepository<Author, Long> {
    /** The author who signs in as {@code username}. */
    Optional<Author> findByUsername(String username);
}

package io.larder.spring.boot.autoconfigure.app;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.Cacheable;
import io.larder.spring.CacheTags;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A small Spring Boot application as a user writes it: Spring Data JPA on H2, {@code @Cacheable}
 * on a service, nothing of Larder's but the starter's auto-configuration and properties.
 */
@SpringBootApplication
@EnableCaching
@EnableJpaRepositories(considerNestedRepositories = true)
public class NotesApp {

    /** A JPA entity: its tags are {@code Note} and {@code Note:<id>}. */
    @Entity
    public static class Note {
        @Id
        private Long id;
        private String text;

        protected Note() {
        }

        public Note(Long id, String text) {
            this.id = id;
            this.text = text;
        }

        public String getText() {
            return text;
        }

        public void setText(String text) {
            this.text = text;
        }
    }

    /** The repository. */
    public interface Notes extends JpaRepository<Note, Long> {
    }

    /** The cached reads and the edits. */
    @Service
    public static class NoteService {
        private final Notes notes;
        private final AtomicInteger loads = new AtomicInteger();

        public NoteService(Notes notes) {
            this.notes = notes;
        }

        /** The note's text, loaded from the database once until an edit commits. */
        @Cacheable(cacheNames = "notes", sync = true)
        @CacheTags("'note:' + #id")
        @Transactional(readOnly = true)
        public String text(long id) {
            loads.incrementAndGet();
            return notes.findById(id).map(Note::getText).orElse("(none)");
        }

        /** Changes a note's text; the commit invalidates {@code Note:<id>}. */
        @Transactional
        public void edit(long id, String text) {
            notes.findById(id).orElseThrow().setText(text);
        }

        /** Adds a note. */
        @Transactional
        public void add(long id, String text) {
            notes.save(new Note(id, text));
        }

        public int loads() {
            return loads.get();
        }
    }
}

package dev.tandem.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of an import file, read from bytes, each with the byte offset just after it: a later invocation opens
 * the file at that offset and reads on from the next record. CSV follows RFC 4180 (cells in double quotes may hold
 * commas, line breaks and doubled quotes; lines end in LF or CRLF); JSON Lines gives one line per record. Every byte
 * CSV gives a meaning to is ASCII, which never occurs inside a UTF-8 sequence, so the bytes are split first and each
 * cell decoded after, strictly: a row that is not UTF-8 is refused, never read as something else. Blank records are
 * skipped and are not rows.
 */
public final class Records {
    /** A CSV record's cells, or a JSON Lines record's text; {@code problem} says why it cannot be read, or is null. */
    public record Record(List<String> cells, String text, long end, String problem) {
    }

    private final InputStream in;
    private final ImportFormat format;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int len;
    private long offset;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    /** Reads from {@code in}, which starts at byte {@code start} of the file; a byte order mark at byte 0 is skipped. */
    public Records(InputStream in, long start, ImportFormat format) throws IOException {
        this.in = in;
        this.format = format;
        this.offset = start;
        if (start == 0 && peek() == 0xEF) {
            // A byte order mark, as some spreadsheet programs write one: not part of the header.
            read();
            if (peek() == 0xBB) {
                read();
                if (peek() == 0xBF) {
                    read();
                }
            }
        }
    }

    /** The offset of the next byte to read. */
    public long offset() {
        return offset;
    }

    /** The next record, or null at the end of the file. */
    public Record next() throws IOException {
        while (peek() >= 0) {
            Record r = format == ImportFormat.CSV ? csv() : line();
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private void fill() throws IOException {
        pos = 0;
        len = Math.max(0, in.read(buf, 0, buf.length));
    }

    private int peek() throws IOException {
        if (pos >= len) {
            fill();
            if (pos >= len) {
                return -1;
            }
        }
        return buf[pos] & 0xff;
    }

    private int read() throws IOException {
        int c = peek();
        if (c >= 0) {
            pos++;
            offset++;
        }
        return c;
    }

    /** One JSON Lines record; null for a blank line. */
    private Record line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        for (int c = read(); c >= 0 && c != '\n'; c = read()) {
            bytes.write(c);
        }
        byte[] b = bytes.toByteArray();
        int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        String text = decode(b, n);
        if (text == null) {
            return new Record(null, null, offset, "the row is not UTF-8 text");
        }
        return text.isBlank() ? null : new Record(null, text, offset, null);
    }

    private enum State { START, PLAIN, QUOTED, AFTER_QUOTE }

    /** One CSV record; null for a blank one. */
    private Record csv() throws IOException {
        List<String> cells = new ArrayList<>();
        ByteArrayOutputStream cell = new ByteArrayOutputStream(64);
        String problem = null;
        State state = State.START;
        while (true) {
            int c = read();
            boolean endOfLine = c < 0 || c == '\n' || (c == '\r' && state != State.QUOTED);
            if (c < 0 && state == State.QUOTED) {
                problem = problem == null ? "a quoted cell is not closed" : problem;
            }
            if (endOfLine && (state != State.QUOTED || c < 0)) {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                problem = addCell(cells, cell, problem);
                break;
            }
            switch (state) {
                case START -> {
                    if (c == '"') {
                        state = State.QUOTED;
                    } else if (c == ',') {
                        problem = addCell(cells, cell, problem);
                    } else {
                        cell.write(c);
                        state = State.PLAIN;
                    }
                }
                case PLAIN -> {
                    if (c == ',') {
                        problem = addCell(cells, cell, problem);
                        state = State.START;
                    } else {
                        cell.write(c);
                    }
                }
                case QUOTED -> {
                    if (c == '"') {
                        if (peek() == '"') {
                            read();
                            cell.write('"');
                        } else {
                            state = State.AFTER_QUOTE;
                        }
                    } else {
                        cell.write(c);
                    }
                }
                case AFTER_QUOTE -> {
                    if (c == ',') {
                        problem = addCell(cells, cell, problem);
                        state = State.START;
                    } else {
                        problem = problem == null ? "cell " + (cells.size() + 1) + " has text after its closing quote" : problem;
                    }
                }
            }
        }
        if (problem == null && cells.stream().allMatch(String::isEmpty)) {
            return null;
        }
        return new Record(cells, null, offset, problem);
    }

    private String addCell(List<String> cells, ByteArrayOutputStream cell, String problem) {
        byte[] b = cell.toByteArray();
        cell.reset();
        String text = decode(b, b.length);
        cells.add(text == null ? "" : text);
        return problem == null && text == null ? "the row is not UTF-8 text" : problem;
    }

    private String decode(byte[] b, int n) {
        try {
            return utf8.reset().decode(ByteBuffer.wrap(b, 0, n)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

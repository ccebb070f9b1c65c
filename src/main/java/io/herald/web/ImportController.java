package io.herald.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import io.herald.audience.ImportOptions;
import io.herald.audience.ImportResult;
import io.herald.audience.ImportService;
import io.herald.web.RecipientViews.ImportView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@Tag(name = "Recipients")
class ImportController {
    private final ImportService imports;

    ImportController(ImportService imports) {
        this.imports = imports;
    }

    @PostMapping(path = "/recipients/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Import recipients from a CSV file",
            description = "Header row required; columns name, email, phone, tags (separated by ; or |), any other column "
                    + "becomes an attribute. Upserts by email/phone. Bad rows are skipped and listed by row number. "
                    + "async=true answers 202 at once; follow GET /imports/{id}. 400 when the file is not a CSV with a "
                    + "header row, 413 when it is larger than herald.import.max-bytes.")
    ResponseEntity<ImportView> importCsv(@RequestPart("file") MultipartFile file,
                                         @Parameter(description = "Comma-separated tags added to every row")
                                         @RequestParam(required = false) String tags,
                                         @RequestParam(name = "dry_run", required = false) Boolean dryRun,
                                         @RequestParam(name = "async", required = false) Boolean async) {
        ImportOptions options = new ImportOptions(ImportService.parseTags(tags), Boolean.TRUE.equals(dryRun));
        String name = file.getOriginalFilename();
        if (Boolean.TRUE.equals(async)) {
            // The upload's temp file ends with the request: hand the import a copy of its own.
            Path copy;
            try {
                copy = Files.createTempFile("herald-import-", ".csv");
                file.transferTo(copy);
            } catch (IOException e) {
                throw new UncheckedIOException("could not store the upload", e);
            }
            ImportResult started = imports.start(copy, name, options);
            return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/imports/" + started.id()))
                    .body(ImportView.of(started));
        }
        try (InputStream in = file.getInputStream()) {
            ImportResult result = imports.importNow(in, file.getSize(), name, options);
            return ResponseEntity.ok().location(URI.create("/imports/" + result.id())).body(ImportView.of(result));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the upload", e);
        }
    }

    @GetMapping("/imports/{id}")
    @Operation(summary = "Progress and result of an import", description = "bytes_read / bytes_total is the progress of a RUNNING import")
    ImportView get(@PathVariable long id) {
        return ImportView.of(imports.get(id));
    }
}

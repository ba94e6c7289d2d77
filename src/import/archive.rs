//! A folder of text files read the same way from a `.tar.gz` archive or from disk, so that an
//! importer sees one map of paths whichever it was given.
//!
//! Symbolic links are kept as links and resolved against the same map: a link whose target is
//! not in it (deleted upstream, or pointing outside the folder) resolves to nothing, whether the
//! files came from an archive or were unpacked first.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// One entry of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A file and its text; `None` when it is not UTF-8.
    File(Option<String>),
    /// A symbolic link and its target as written.
    Link(String),
}

/// A folder's files by path relative to its root, with `/` separators.
#[derive(Debug, Default)]
pub struct Folder {
    /// Every file and link.
    pub entries: BTreeMap<String, Entry>,
}

/// How many links a path may pass through before it is taken for a loop.
const MAX_LINKS: usize = 16;

impl Folder {
    /// Reads a `.tar.gz` (or `.tgz`) archive, or a folder on disk.
    pub fn read(path: &Path) -> Result<Folder, String> {
        if path.is_dir() {
            Folder::from_dir(path)
        } else {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            Folder::from_tar_gz(&bytes)
        }
    }

    /// The entries of a gzip-compressed tar archive.
    pub fn from_tar_gz(bytes: &[u8]) -> Result<Folder, String> {
        if !bytes.starts_with(&[0x1f, 0x8b]) {
            return Err("not a gzip file: give a .tar.gz archive or an unpacked folder".into());
        }
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
        let mut out = Folder::default();
        let entries = archive
            .entries()
            .map_err(|e| format!("not a readable tar.gz archive: {e}"))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| format!("not a readable tar.gz archive: {e}"))?;
            let path = entry
                .path()
                .map_err(|e| format!("an entry with an unreadable path: {e}"))?
                .to_string_lossy()
                .trim_start_matches("./")
                .to_string();
            match entry.header().entry_type() {
                tar::EntryType::Regular | tar::EntryType::Continuous => {
                    let mut bytes = Vec::new();
                    entry
                        .read_to_end(&mut bytes)
                        .map_err(|e| format!("{path}: cannot be read from the archive: {e}"))?;
                    out.entries
                        .insert(path, Entry::File(String::from_utf8(bytes).ok()));
                }
                tar::EntryType::Symlink => {
                    if let Ok(Some(target)) = entry.link_name() {
                        out.entries
                            .insert(path, Entry::Link(target.to_string_lossy().into_owned()));
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// The files and links under a folder on disk.
    pub fn from_dir(root: &Path) -> Result<Folder, String> {
        let mut out = Folder::default();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let rd = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for e in rd {
                let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
                let p = e.path();
                let rel = p
                    .strip_prefix(root)
                    .map_err(|e| e.to_string())?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                let kind = e.file_type().map_err(|e| format!("{}: {e}", p.display()))?;
                if kind.is_symlink() {
                    let target =
                        std::fs::read_link(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    out.entries
                        .insert(rel, Entry::Link(target.to_string_lossy().into_owned()));
                } else if kind.is_dir() {
                    stack.push(p);
                } else if kind.is_file() {
                    let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    out.entries
                        .insert(rel, Entry::File(String::from_utf8(bytes).ok()));
                }
            }
        }
        Ok(out)
    }

    /// An archive made with a top folder (`models.dev-main/providers/...`) is read from inside it:
    /// when `marker` is not at the root but is inside the one top folder, that folder becomes the
    /// root.
    pub fn rooted_at(self, marker: &str) -> Folder {
        let at_root = format!("{marker}/");
        if self.entries.keys().any(|k| k.starts_with(&at_root)) {
            return self;
        }
        let Some(first) = self.entries.keys().next().and_then(|k| k.split_once('/')) else {
            return self;
        };
        let prefix = format!("{}/", first.0);
        let single = self.entries.keys().all(|k| k.starts_with(&prefix));
        if !single
            || !self
                .entries
                .keys()
                .any(|k| k.starts_with(&format!("{prefix}{at_root}")))
        {
            return self;
        }
        Folder {
            entries: self
                .entries
                .into_iter()
                .map(|(k, v)| (k[prefix.len()..].to_string(), v))
                .collect(),
        }
    }

    /// The text of a file, following links inside the folder.
    pub fn text(&self, path: &str) -> Result<&str, Unreadable> {
        let mut at = path.to_string();
        for _ in 0..MAX_LINKS {
            match self.entries.get(&at) {
                Some(Entry::File(Some(text))) => return Ok(text),
                Some(Entry::File(None)) => return Err(Unreadable::NotUtf8),
                Some(Entry::Link(target)) => {
                    at = join(&at, target).ok_or_else(|| Unreadable::Outside(target.clone()))?;
                }
                None if at == path => return Err(Unreadable::Missing),
                None => return Err(Unreadable::Dangling(at)),
            }
        }
        Err(Unreadable::Loop)
    }
}

/// Why a path has no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// No such file.
    Missing,
    /// The file is not UTF-8.
    NotUtf8,
    /// A link to a path that is not in the folder (deleted upstream).
    Dangling(String),
    /// A link that leaves the folder, or is absolute.
    Outside(String),
    /// Links that loop.
    Loop,
}

impl Unreadable {
    /// What is wrong, without the path: files are counted by it.
    pub fn reason(&self) -> &'static str {
        match self {
            Unreadable::Missing => "no such file",
            Unreadable::NotUtf8 => "not UTF-8 text",
            Unreadable::Dangling(_) => "a symbolic link to a file that is not in the snapshot",
            Unreadable::Outside(_) => "a symbolic link that leaves the snapshot",
            Unreadable::Loop => "symbolic links that loop",
        }
    }
}

/// The path a link at `link` to `target` points to, relative to the folder's root; `None` when it
/// leaves the folder or is absolute.
fn join(link: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(entries: &[(&str, Entry)]) -> Folder {
        Folder {
            entries: entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    #[test]
    fn links_resolve_inside_the_folder_only() {
        let f = folder(&[
            ("providers/a/models/x.toml", Entry::File(Some("x".into()))),
            (
                "providers/b/models/x.toml",
                Entry::Link("../../a/models/x.toml".into()),
            ),
            (
                "providers/b/models/gone.toml",
                Entry::Link("../../c/models/gone.toml".into()),
            ),
            (
                "providers/b/models/out.toml",
                Entry::Link("../../../../etc/passwd".into()),
            ),
            (
                "providers/b/models/abs.toml",
                Entry::Link("/etc/passwd".into()),
            ),
            ("loop1", Entry::Link("loop2".into())),
            ("loop2", Entry::Link("loop1".into())),
            ("bin", Entry::File(None)),
        ]);
        assert_eq!(f.text("providers/b/models/x.toml"), Ok("x"));
        assert_eq!(
            f.text("providers/b/models/gone.toml"),
            Err(Unreadable::Dangling("providers/c/models/gone.toml".into()))
        );
        assert_eq!(
            f.text("providers/b/models/out.toml"),
            Err(Unreadable::Outside("../../../../etc/passwd".into()))
        );
        assert_eq!(
            f.text("providers/b/models/abs.toml"),
            Err(Unreadable::Outside("/etc/passwd".into()))
        );
        assert_eq!(f.text("loop1"), Err(Unreadable::Loop));
        assert_eq!(f.text("bin"), Err(Unreadable::NotUtf8));
        assert_eq!(f.text("nothing"), Err(Unreadable::Missing));
    }

    #[test]
    fn a_single_top_folder_is_stepped_into() {
        let f = folder(&[
            ("top/providers/a.toml", Entry::File(Some("a".into()))),
            ("top/README.md", Entry::File(Some("r".into()))),
        ])
        .rooted_at("providers");
        assert_eq!(f.text("providers/a.toml"), Ok("a"));
        let g = folder(&[
            ("providers/a.toml", Entry::File(Some("a".into()))),
            ("README.md", Entry::File(Some("r".into()))),
        ])
        .rooted_at("providers");
        assert_eq!(g.text("providers/a.toml"), Ok("a"));
        // A tree holding only providers/ stays as it is.
        let h =
            folder(&[("providers/a.toml", Entry::File(Some("a".into())))]).rooted_at("providers");
        assert_eq!(h.text("providers/a.toml"), Ok("a"));
    }

    #[test]
    fn a_file_that_is_not_gzip_is_refused() {
        assert!(Folder::from_tar_gz(b"{\"json\": true}")
            .unwrap_err()
            .contains("not a gzip file"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(
            &mut gz,
            b"not a tar archive, just text that is long enough to fill a header block or not",
        )
        .unwrap();
        let bytes = gz.finish().unwrap();
        assert!(
            Folder::from_tar_gz(&bytes).is_err()
                || Folder::from_tar_gz(&bytes).unwrap().entries.is_empty()
        );
    }
}

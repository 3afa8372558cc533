//! Architecture tests: they read the sources and fail when an invariant of ARCHITECTURE.md stops
//! being true, as rust-analyzer's "tidy" tests keep its architecture. A rule only prose states
//! drifts; these say which file and line broke it.
//!
//! - The core knows no platform: no file under src/data, src/estimate, src/analysis or src/report
//!   names wasm_bindgen, web_sys, js_sys, plotters or std::fs.
//! - No import cycles between files: no file reaches itself through the paths it names.
//! - src/error.rs is a leaf (it imports nothing from the crate), and src/plot.rs draws from the
//!   report types, not from the estimators.
//!
//! Comments and the insides of string and character literals are blanked first, keeping the
//! lines. The graph leaves out `#[cfg(test)]` items (a test module may build a `Table` to test a
//! column). Its edges are the paths a file names: `crate::`, `super::`, `self::` and, in a
//! mod.rs, its own children; a path through a re-export (`crate::data::Table`) counts as a path
//! to the file that defines the name, and a mod.rs re-exporting its own children is a facade, not
//! a dependency on them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers that must know no platform.
const CORE: [&str; 4] = ["src/data/", "src/estimate/", "src/analysis/", "src/report/"];

#[test]
fn core_knows_no_platform() {
    let sources = Sources::read();
    let mut violations = Vec::new();
    for file in sources.files.iter().filter(|file| CORE.iter().any(|core| file.path.starts_with(core))) {
        for (line, name) in platform_names(&file.tokens) {
            violations.push(format!("{}:{line}: names {name}", file.path));
        }
    }
    assert!(violations.is_empty(), "the core must know no platform (ARCHITECTURE.md):\n{}", violations.join("\n"));
}

#[test]
fn no_import_cycles_in_data_estimate_and_error() {
    let graph = Sources::read().graph();
    let layers = ["src/data/", "src/estimate/", "src/error.rs"];
    let cycles: Vec<String> = graph
        .cycles()
        .into_iter()
        .filter(|cycle| cycle.iter().any(|file| layers.iter().any(|layer| file.starts_with(layer))))
        .map(|cycle| graph.describe(&cycle))
        .collect();
    assert!(cycles.is_empty(), "files that import each other:\n{}", cycles.join("\n\n"));
}

#[test]
fn no_import_cycles_anywhere() {
    let graph = Sources::read().graph();
    let cycles: Vec<String> = graph.cycles().iter().map(|cycle| graph.describe(cycle)).collect();
    assert!(cycles.is_empty(), "files that import each other:\n{}", cycles.join("\n\n"));
}

#[test]
fn error_is_a_leaf() {
    let graph = Sources::read().graph();
    let imports = graph.imports_of("src/error.rs", |_| true);
    assert!(
        imports.is_empty(),
        "src/error.rs is the crate's leaf and imports nothing from it:\n{}",
        imports.join("\n")
    );
}

#[test]
fn plot_reads_reports_not_estimators() {
    let graph = Sources::read().graph();
    let imports = graph.imports_of("src/plot.rs", |target| target.starts_with("src/estimate/"));
    assert!(imports.is_empty(), "figures are drawn from the report types:\n{}", imports.join("\n"));
}

/// The identifiers of a platform crate, and `std::fs` (also as `std::{fs, ...}`), with their lines.
fn platform_names(tokens: &[Token]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        let Kind::Ident(name) = &token.kind else { continue };
        if name == "web_sys" || name == "js_sys" || name.contains("wasm_bindgen") || name.starts_with("plotters") {
            found.push((token.line, name.clone()));
        }
        if name == "std" && tokens.get(index + 1).is_some_and(|next| next.kind == Kind::PathSeparator) {
            let mut leaves = Vec::new();
            parse_use_tree(tokens, index, &mut leaves);
            if leaves.iter().any(|leaf| leaf.segments.get(1).is_some_and(|segment| segment == "fs")) {
                found.push((token.line, "std::fs".to_string()));
            }
        }
    }
    found
}

struct SourceFile {
    /// Relative to the repository, with `/`: `src/data/frame.rs`.
    path: String,
    /// The module the file is: `["data", "frame"]`; `[]` for lib.rs.
    module: Vec<String>,
    is_module_root: bool,
    tokens: Vec<Token>,
}

struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Every module of the library (src/bin is the CLI's own crate).
    fn read() -> Sources {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        collect_rust_files(&root.join("src"), &mut paths);
        paths.sort();
        let files = paths
            .iter()
            .filter_map(|path| {
                let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                let inside = relative.strip_prefix("src/")?.strip_suffix(".rs")?;
                if inside.starts_with("bin/") {
                    return None;
                }
                let mut module: Vec<String> = inside.split('/').map(str::to_string).collect();
                let is_module_root = matches!(module.last().map(String::as_str), Some("mod" | "lib"));
                if is_module_root {
                    module.pop();
                }
                let text = fs::read_to_string(path).unwrap_or_else(|error| panic!("{relative}: {error}"));
                Some(SourceFile { path: relative, module, is_module_root, tokens: tokenize(&code_only(&text)) })
            })
            .collect();
        Sources { files }
    }

    fn file_of(&self, module: &[String]) -> Option<usize> {
        self.files.iter().position(|file| file.module == module)
    }

    /// The import graph, outside `#[cfg(test)]` items.
    fn graph(&self) -> Graph {
        let parsed: Vec<Vec<UseLeaf>> = self.files.iter().map(|file| self.paths_named(file)).collect();
        // What each file re-exports: name -> the absolute path it stands for.
        let exports: Vec<HashMap<String, Vec<String>>> = parsed
            .iter()
            .map(|leaves| {
                leaves
                    .iter()
                    .filter(|leaf| leaf.public_use && leaf.segments.last().is_some_and(|last| last != "*"))
                    .map(|leaf| {
                        (
                            leaf.alias.clone().unwrap_or_else(|| leaf.segments.last().unwrap().clone()),
                            leaf.segments.clone(),
                        )
                    })
                    .collect()
            })
            .collect();
        let mut edges: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for (from, leaves) in parsed.iter().enumerate() {
            let own = &self.files[from].module;
            for leaf in leaves {
                let reexports_a_child =
                    leaf.public_use && leaf.segments.len() > own.len() && leaf.segments.starts_with(own);
                if reexports_a_child && self.files[from].is_module_root {
                    continue;
                }
                if let Some(to) = self.resolve(&leaf.segments, &exports, 0) {
                    if to != from {
                        edges.entry((from, to)).or_insert(leaf.line);
                    }
                }
            }
        }
        Graph { paths: self.files.iter().map(|file| file.path.clone()).collect(), edges }
    }

    /// The file that defines what an absolute path names: the deepest module file on the path,
    /// following re-exports.
    fn resolve(&self, segments: &[String], exports: &[HashMap<String, Vec<String>>], depth: usize) -> Option<usize> {
        if depth > 16 {
            return None;
        }
        let mut current = self.file_of(&[])?;
        for (index, segment) in segments.iter().enumerate() {
            if segment == "*" {
                break;
            }
            let mut child = self.files[current].module.clone();
            child.push(segment.clone());
            if let Some(file) = self.file_of(&child) {
                current = file;
            } else if let Some(target) = exports[current].get(segment) {
                let mut through: Vec<String> = target.clone();
                through.extend_from_slice(&segments[index + 1..]);
                return self.resolve(&through, exports, depth + 1).or(Some(current));
            } else {
                break;
            }
        }
        Some(current)
    }

    /// The crate paths a file names outside `#[cfg(test)]` items, made absolute.
    fn paths_named(&self, file: &SourceFile) -> Vec<UseLeaf> {
        let tokens = without_test_items(&file.tokens);
        let children: BTreeSet<&str> = self
            .files
            .iter()
            .filter(|other| other.module.len() == file.module.len() + 1 && other.module.starts_with(&file.module))
            .map(|other| other.module.last().unwrap().as_str())
            .collect();
        let mut leaves = Vec::new();
        let mut index = 0;
        while index < tokens.len() {
            let starts_path = index == 0 || tokens[index - 1].kind != Kind::PathSeparator;
            match &tokens[index].kind {
                Kind::Ident(word) if word == "use" => {
                    let public = index > 0 && is_visibility_end(&tokens, index - 1);
                    let mut found = Vec::new();
                    index = parse_use_tree(&tokens, index + 1, &mut found);
                    leaves.extend(found.into_iter().map(|leaf| UseLeaf { public_use: public, ..leaf }));
                    continue;
                }
                Kind::Ident(word)
                    if starts_path
                        && (matches!(word.as_str(), "crate" | "super" | "self")
                            || children.contains(word.as_str()))
                        && tokens.get(index + 1).is_some_and(|next| next.kind == Kind::PathSeparator) =>
                {
                    index = parse_use_tree(&tokens, index, &mut leaves);
                    continue;
                }
                _ => index += 1,
            }
        }
        leaves.into_iter().filter_map(|leaf| absolute(leaf, &file.module, &children)).collect()
    }
}

/// `pub use` and `pub(crate) use`: whether the tokens up to `end` close a visibility.
fn is_visibility_end(tokens: &[Token], end: usize) -> bool {
    match &tokens[end].kind {
        Kind::Ident(word) => word == "pub",
        Kind::Punct(')') => tokens[..end]
            .iter()
            .rposition(|token| token.kind == Kind::Punct('('))
            .is_some_and(|open| open > 0 && tokens[open - 1].kind == Kind::Ident("pub".into())),
        _ => false,
    }
}

/// A path made absolute from the crate root, or `None` for another crate's (std, serde).
fn absolute(mut leaf: UseLeaf, module: &[String], children: &BTreeSet<&str>) -> Option<UseLeaf> {
    let first = leaf.segments.first()?.clone();
    let mut base: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        // A file's module is `module`, for a mod.rs too, so `super` is always its parent.
        "super" => module[..module.len().checked_sub(1)?].to_vec(),
        name if children.contains(name) => {
            let mut base = module.to_vec();
            base.push(name.to_string());
            base
        }
        _ => return None,
    };
    let mut rest = leaf.segments[1..].iter().peekable();
    while rest.peek().is_some_and(|segment| *segment == "super") {
        base.pop();
        rest.next();
    }
    base.extend(rest.filter(|segment| *segment != "self").cloned());
    leaf.segments = base;
    Some(leaf)
}

/// One leaf of a path or `use` tree: `use crate::data::{Table, frame::SurvivalFrame as Frame}`
/// has two.
#[derive(Debug, Clone)]
struct UseLeaf {
    segments: Vec<String>,
    alias: Option<String>,
    line: usize,
    public_use: bool,
}

/// Reads a path or `use` tree starting at `index`, adding its leaves; returns the index after it.
fn parse_use_tree(tokens: &[Token], index: usize, leaves: &mut Vec<UseLeaf>) -> usize {
    parse_subtree(tokens, index, Vec::new(), leaves)
}

fn parse_subtree(tokens: &[Token], mut index: usize, mut segments: Vec<String>, leaves: &mut Vec<UseLeaf>) -> usize {
    let line = tokens.get(index).map_or(0, |token| token.line);
    loop {
        match tokens.get(index).map(|token| &token.kind) {
            Some(Kind::Ident(name)) => segments.push(name.clone()),
            Some(Kind::Punct('*')) => {
                segments.push("*".into());
                index += 1;
                break;
            }
            Some(Kind::Punct('{')) => {
                index += 1;
                while let Some(token) = tokens.get(index) {
                    match token.kind {
                        Kind::Punct('}') => return index + 1,
                        Kind::Punct(',') => index += 1,
                        _ => index = parse_subtree(tokens, index, segments.clone(), leaves),
                    }
                }
                return index;
            }
            _ => break,
        }
        index += 1;
        if tokens.get(index).is_some_and(|token| token.kind == Kind::PathSeparator) {
            index += 1;
        } else {
            break;
        }
    }
    let mut alias = None;
    if tokens.get(index).is_some_and(|token| token.kind == Kind::Ident("as".into())) {
        if let Some(Kind::Ident(name)) = tokens.get(index + 1).map(|token| &token.kind) {
            alias = Some(name.clone());
        }
        index += 2;
    }
    if !segments.is_empty() {
        leaves.push(UseLeaf { segments, alias, line, public_use: false });
    }
    index
}

/// The tokens with every `#[cfg(test)]` item left out (to its `;` or its closing brace).
fn without_test_items(tokens: &[Token]) -> Vec<Token> {
    let attribute = ["#", "[", "cfg", "(", "test", ")", "]"];
    let matches_attribute = |at: usize| {
        attribute.iter().enumerate().all(|(offset, text)| tokens.get(at + offset).is_some_and(|token| token.is(text)))
    };
    let mut kept = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        if !matches_attribute(index) {
            kept.push(tokens[index].clone());
            index += 1;
            continue;
        }
        index += attribute.len();
        let mut depth = 0usize;
        while let Some(token) = tokens.get(index) {
            index += 1;
            match token.kind {
                Kind::Punct('(' | '[' | '{') => depth += 1,
                Kind::Punct(')' | ']') => depth = depth.saturating_sub(1),
                Kind::Punct('}') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                Kind::Punct(';') if depth == 0 => break,
                _ => {}
            }
        }
    }
    kept
}

/// Files and the first line at which one names the other.
struct Graph {
    paths: Vec<String>,
    edges: BTreeMap<(usize, usize), usize>,
}

impl Graph {
    /// The strongly connected groups of more than one file (Tarjan's algorithm), as paths.
    fn cycles(&self) -> Vec<Vec<String>> {
        let n = self.paths.len();
        let mut successors = vec![Vec::new(); n];
        for (from, to) in self.edges.keys() {
            successors[*from].push(*to);
        }
        let mut state = Tarjan { index: vec![None; n], low: vec![0; n], on_stack: vec![false; n], ..Tarjan::default() };
        for node in 0..n {
            if state.index[node].is_none() {
                state.visit(node, &successors);
            }
        }
        state
            .components
            .into_iter()
            .filter(|component| component.len() > 1)
            .map(|component| {
                let mut paths: Vec<String> = component.iter().map(|node| self.paths[*node].clone()).collect();
                paths.sort();
                paths
            })
            .collect()
    }

    /// The edges inside one cycle, each with the line that makes it.
    fn describe(&self, cycle: &[String]) -> String {
        let lines: Vec<String> = self
            .edges
            .iter()
            .filter(|((from, to), _)| cycle.contains(&self.paths[*from]) && cycle.contains(&self.paths[*to]))
            .map(|((from, to), line)| format!("  {}:{line} imports {}", self.paths[*from], self.paths[*to]))
            .collect();
        format!("cycle between {}:\n{}", cycle.join(", "), lines.join("\n"))
    }

    /// What one file imports from the crate, where `keep` accepts the imported file.
    fn imports_of(&self, path: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
        self.edges
            .iter()
            .filter(|((from, to), _)| self.paths[*from] == path && keep(&self.paths[*to]))
            .map(|((_, to), line)| format!("  {path}:{line} imports {}", self.paths[*to]))
            .collect()
    }
}

#[derive(Default)]
struct Tarjan {
    next: usize,
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    components: Vec<Vec<usize>>,
}

impl Tarjan {
    fn visit(&mut self, node: usize, successors: &[Vec<usize>]) {
        self.index[node] = Some(self.next);
        self.low[node] = self.next;
        self.next += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        for &next in &successors[node] {
            match self.index[next] {
                None => {
                    self.visit(next, successors);
                    self.low[node] = self.low[node].min(self.low[next]);
                }
                Some(index) if self.on_stack[next] => self.low[node] = self.low[node].min(index),
                Some(_) => {}
            }
        }
        if Some(self.low[node]) == self.index[node] {
            let mut component = Vec::new();
            while let Some(member) = self.stack.pop() {
                self.on_stack[member] = false;
                component.push(member);
                if member == node {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Ident(String),
    /// `::`
    PathSeparator,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    line: usize,
}

impl Token {
    fn is(&self, text: &str) -> bool {
        match &self.kind {
            Kind::Ident(name) => name == text,
            Kind::PathSeparator => text == "::",
            Kind::Punct(c) => text.len() == c.len_utf8() && text.starts_with(*c),
        }
    }
}

/// Identifiers, `::` and single punctuation, with their 1-based lines; numbers are skipped.
fn tokenize(code: &str) -> Vec<Token> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let (mut index, mut line) = (0, 1);
    while index < chars.len() {
        let c = chars[index];
        if c == '\n' {
            line += 1;
            index += 1;
        } else if c.is_whitespace() {
            index += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = index;
            while index < chars.len() && (chars[index].is_alphanumeric() || chars[index] == '_') {
                index += 1;
            }
            tokens.push(Token { kind: Kind::Ident(chars[start..index].iter().collect()), line });
        } else if c.is_ascii_digit() {
            while index < chars.len() && (chars[index].is_alphanumeric() || chars[index] == '_') {
                index += 1;
            }
        } else if c == ':' && chars.get(index + 1) == Some(&':') {
            tokens.push(Token { kind: Kind::PathSeparator, line });
            index += 2;
        } else {
            tokens.push(Token { kind: Kind::Punct(c), line });
            index += 1;
        }
    }
    tokens
}

/// The source with comments and the insides of string and character literals replaced by
/// spaces; newlines are kept, so line numbers do not move.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        let next = chars.get(index + 1).copied();
        let after_ident = index > 0 && (chars[index - 1].is_alphanumeric() || chars[index - 1] == '_');
        if c == '/' && next == Some('/') {
            while index < chars.len() && chars[index] != '\n' {
                index += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while index < chars.len() {
                if chars[index] == '/' && chars.get(index + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    index += 2;
                } else if chars[index] == '*' && chars.get(index + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    index += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[index]);
                    index += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(&chars, index).filter(|_| !after_ident) {
            // r"..." and r#"..."#, also b-prefixed: blanked up to the closing quote and hashes.
            let opening = chars[index..].iter().position(|c| *c == '"').unwrap() + index;
            out.push('"');
            index = opening + 1;
            while index < chars.len() {
                if chars[index] == '"' && (1..=hashes).all(|k| chars.get(index + k) == Some(&'#')) {
                    index += 1 + hashes;
                    break;
                }
                blank(&mut out, chars[index]);
                index += 1;
            }
            out.push('"');
        } else if c == '"' {
            out.push('"');
            index += 1;
            while index < chars.len() && chars[index] != '"' {
                if chars[index] == '\\' {
                    blank(&mut out, chars[index]);
                    index += 1;
                }
                if let Some(escaped) = chars.get(index) {
                    blank(&mut out, *escaped);
                }
                index += 1;
            }
            out.push('"');
            index += 1;
        } else if c == '\'' && (next == Some('\\') || chars.get(index + 2) == Some(&'\'')) {
            // A character literal ('"', '\'', '\u{a0}'); a lone quote is a lifetime or a label.
            out.push('\'');
            index += if next == Some('\\') { 3 } else { 2 };
            while index < chars.len() && chars[index] != '\'' {
                index += 1;
            }
            out.push('\'');
            index += 1;
        } else {
            out.push(c);
            index += 1;
        }
    }
    out
}

/// At `r"`, `r#"`, `br"`, ...: the number of hashes of a raw string literal starting here.
fn raw_string_start(chars: &[char], index: usize) -> Option<usize> {
    let mut at = index;
    if chars.get(at) == Some(&'b') {
        at += 1;
    }
    if chars.get(at) != Some(&'r') {
        return None;
    }
    at += 1;
    let hashes = chars[at..].iter().take_while(|c| **c == '#').count();
    (chars.get(at + hashes) == Some(&'"')).then_some(hashes)
}

fn collect_rust_files(directory: &Path, into: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(directory).unwrap_or_else(|error| panic!("{}: {error}", directory.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rust_files(&path, into);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            into.push(path);
        }
    }
}

/// The scanner itself, on sources written to trip it.
mod scanner {
    use super::*;

    #[test]
    fn comments_and_strings_name_nothing() {
        let code =
            code_only("// std::fs\nlet a = \"web_sys \\\" js_sys\"; /* plotters /* nested */ */ let b = '\"';\n");
        assert!(platform_names(&tokenize(&code)).is_empty(), "{code}");
        let code = code_only("let raw = r#\"wasm_bindgen \" still\"#; let c = '\\'';\n");
        assert!(platform_names(&tokenize(&code)).is_empty(), "{code}");
    }

    #[test]
    fn platform_names_are_found_with_their_lines() {
        let code =
            code_only("fn f<'a>(x: &'a str) {}\nuse std::{io, fs};\nuse plotters::prelude::*;\nstd::fs::read(p);\n");
        let found = platform_names(&tokenize(&code));
        assert_eq!(found, vec![(2, "std::fs".into()), (3, "plotters".into()), (4, "std::fs".into())]);
    }

    #[test]
    fn use_trees_expand_to_their_leaves() {
        let tokens = tokenize("crate::data::{Table, frame::{self, SurvivalFrame as Frame}, *};");
        let mut leaves = Vec::new();
        parse_use_tree(&tokens, 0, &mut leaves);
        let paths: Vec<String> = leaves.iter().map(|leaf| leaf.segments.join("::")).collect();
        assert_eq!(
            paths,
            ["crate::data::Table", "crate::data::frame::self", "crate::data::frame::SurvivalFrame", "crate::data::*"]
        );
        assert_eq!(leaves[2].alias.as_deref(), Some("Frame"));
    }

    #[test]
    fn test_items_are_left_out() {
        let tokens = tokenize("use a::b;\n#[cfg(test)]\nmod tests { use crate::x::{y}; fn f() { g() } }\nuse c::d;");
        let kept: Vec<String> = without_test_items(&tokens)
            .iter()
            .filter_map(|token| match &token.kind {
                Kind::Ident(name) => Some(name.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(kept, ["use", "a", "b", "use", "c", "d"]);
    }
}

//! File built-ins (`toFile`, `getFileName`, `setFileType`, `compress`, `extract`, ...): FILE
//! values live in memory; the setters change the file for every holder, as Zoho's do.
//!
//! Pages: https://www.zoho.com/deluge/help/file-methods.html and the pages it links.

use super::{b, text_arg, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::{new_map, FileData, Key, Value};
use std::io::{Read, Write};
use std::rc::Rc;

pub const BUILTINS: &[Builtin] = &[
    b("toFile", Recv::Text, 1, 1, to_file),
    b("toFile", Recv::List, 1, 1, to_file),
    b("toFile", Recv::Map, 1, 1, to_file),
    b("getFileName", Recv::File, 0, 0, get_file_name),
    b("getFileSize", Recv::File, 0, 0, get_file_size),
    b("getFileType", Recv::File, 0, 0, get_file_type),
    b("getFileContent", Recv::File, 0, 0, get_file_content),
    b("setFileName", Recv::File, 1, 1, set_file_name),
    b("setFileType", Recv::File, 1, 1, set_file_type),
    b("setCharset", Recv::File, 1, 1, set_charset),
    b("setParamName", Recv::File, 1, 1, set_param_name),
    b("isFile", Recv::Any, 0, 0, is_file),
    b("compress", Recv::File, 0, 1, compress),
    b("compress", Recv::List, 0, 1, compress),
    b("compress", Recv::Map, 0, 1, compress),
    b("extract", Recv::File, 0, 0, extract),
];

/// Zoho's cap on the zip `compress` returns.
const COMPRESS_CAP: usize = 2 * 1024 * 1024;
/// Zoho's cap on what `extract` returns (outside Creator).
const EXTRACT_CAP: usize = 3 * 1024 * 1024;

/// The file in `args[0]` (the row's receiver check guarantees it).
fn file(a: &[Value]) -> &Rc<FileData> {
    match &a[0] {
        Value::File(f) => f,
        _ => unreachable!("Recv::File rows get files"),
    }
}

/// The content type a file name's extension suggests (`report.pdf` -> `application/pdf`).
pub fn content_type_for(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    mime_of_ext(&ext).unwrap_or("application/octet-stream")
}

fn mime_of_ext(ext: &str) -> Option<&'static str> {
    Some(match ext {
        "txt" | "text" | "log" => "text/plain",
        "csv" => "text/csv",
        "htm" | "html" => "text/html",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => return None,
    })
}

fn new_file(name: String, bytes: Vec<u8>) -> Value {
    let ct = content_type_for(&name).to_string();
    Value::File(Rc::new(FileData::new(name, ct, bytes)))
}

/// `"Provide UI builder".toFile("feedback.txt")` wraps the text in a FILE named
/// `feedback.txt` (type `text/plain`); a list or map is written as `info` prints it.
fn to_file(a: &[Value]) -> Result<Value> {
    let name = text_arg(a, 1, "toFile")?.to_string();
    let bytes = match &a[0] {
        Value::Text(t) => t.as_bytes().to_vec(),
        other => other.to_text().into_bytes(),
    };
    Ok(new_file(name, bytes))
}

/// `f.getFileName()` is `Sample-png-image-100kb.png` for a file downloaded from that URL.
fn get_file_name(a: &[Value]) -> Result<Value> {
    Ok(Value::text(&file(a).borrow().name))
}

/// `f.getFileSize()` is the size in bytes (545 for the page's CSV).
fn get_file_size(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(file(a).borrow().bytes.len() as i64))
}

/// `f.getFileType()` is the content type, `image/png` for a PNG download.
fn get_file_type(a: &[Value]) -> Result<Value> {
    Ok(Value::text(&file(a).borrow().content_type))
}

/// `f.getFileContent()` is the file's bytes as text (invalid UTF-8 becomes U+FFFD, the
/// "junk values" Zoho's page warns of for binary files).
fn get_file_content(a: &[Value]) -> Result<Value> {
    Ok(Value::from_string(String::from_utf8_lossy(&file(a).borrow().bytes).into_owned()))
}

/// `response.setFileName("sampleFile")` renames the file in place.
fn set_file_name(a: &[Value]) -> Result<Value> {
    let name = text_arg(a, 1, "setFileName")?.to_string();
    file(a).borrow_mut().name = name;
    Ok(Value::Null)
}

/// `response.setFileType("pdf")` makes the file `application/pdf` for uploads (a full type
/// like `text/csv` is kept as given); the bytes are not converted.
fn set_file_type(a: &[Value]) -> Result<Value> {
    let t = text_arg(a, 1, "setFileType")?;
    let ct = if t.contains('/') {
        t.to_string()
    } else {
        mime_of_ext(&t.trim_start_matches('.').to_ascii_lowercase()).map_or_else(|| t.to_string(), str::to_string)
    };
    file(a).borrow_mut().content_type = ct;
    Ok(Value::Null)
}

/// `response.setCharset("UTF-16")`: the charset named on the file's part in an upload.
fn set_charset(a: &[Value]) -> Result<Value> {
    let cs = text_arg(a, 1, "setCharset")?.to_string();
    file(a).borrow_mut().charset = Some(cs);
    Ok(Value::Null)
}

/// `f.setParamName("attachment")`: the form field the file is sent under by `invokeurl`'s
/// `files:` (default `file`).
fn set_param_name(a: &[Value]) -> Result<Value> {
    let p = text_arg(a, 1, "setParamName")?.to_string();
    file(a).borrow_mut().param_name = Some(p);
    Ok(Value::Null)
}

/// `f.isFile()` is true for a FILE, false for anything else.
fn is_file(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(matches!(a[0], Value::File(_))))
}

/// The entries of a zip: (path, bytes). A map nests directories, a list or one file is flat.
fn zip_entries(v: &Value, dir: &str, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    match v {
        Value::File(f) => {
            let f = f.borrow();
            out.push((format!("{dir}{}", f.name), f.bytes.clone()));
        }
        Value::Coll(c) => {
            if let Some(l) = c.list() {
                for item in l.iter() {
                    zip_entries(item, dir, out)?;
                }
            } else if let Some(m) = c.map() {
                for (k, item) in m.iter() {
                    match item {
                        Value::File(f) => {
                            let f = f.borrow();
                            out.push((format!("{dir}{}", k.as_str()), f.bytes.clone()));
                        }
                        Value::Coll(_) => zip_entries(item, &format!("{dir}{}/", k.as_str()), out)?,
                        other => return Err(not_a_file("compress", other)),
                    }
                }
            }
        }
        other => return Err(not_a_file("compress", other)),
    }
    Ok(())
}

fn not_a_file(func: &str, v: &Value) -> Error {
    Error::runtime(format!("{func} needs files, but a value of type {} was given", v.type_name()))
}

/// `f.compress("docs")` is a FILE `docs.zip` holding `f`; `{f1, f2}.compress()` holds both;
/// `{"reports": {"a.txt": f1}}.compress()` puts `a.txt` in the directory `reports`. The
/// name defaults to the single file's name (or `Archive`) with `.zip`.
fn compress(a: &[Value]) -> Result<Value> {
    let mut entries = Vec::new();
    zip_entries(&a[0], "", &mut entries)?;
    let name = match a.get(1) {
        Some(Value::Null) | None => match &a[0] {
            Value::File(f) => {
                let n = f.borrow().name.clone();
                n.rsplit_once('.').map_or(n.clone(), |(stem, _)| stem.to_string())
            }
            _ => "Archive".to_string(),
        },
        Some(_) => text_arg(a, 1, "compress")?.to_string(),
    };
    let name = if name.to_ascii_lowercase().ends_with(".zip") { name } else { format!("{name}.zip") };
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let zip_err = |e: &dyn std::fmt::Display| Error::runtime(format!("compress: {e}"));
    for (path, bytes) in entries {
        w.start_file(path, opts).map_err(|e| zip_err(&e))?;
        w.write_all(&bytes).map_err(|e| zip_err(&e))?;
    }
    let bytes = w.finish().map_err(|e| zip_err(&e))?.into_inner();
    if bytes.len() > COMPRESS_CAP {
        return Err(Error::runtime("compress: the zip file is larger than 2 MB, Zoho's limit"));
    }
    Ok(Value::File(Rc::new(FileData::new(name, "application/zip".into(), bytes))))
}

/// `zip.extract()` is a collection of file name -> FILE for each file inside (directories
/// are skipped, paths kept as names); a file that is not a zip, or an empty zip, gives `{}`.
fn extract(a: &[Value]) -> Result<Value> {
    let bytes = file(a).borrow().bytes.clone();
    let mut m = new_map(0);
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(Value::empty_collection());
    };
    let mut total = 0usize;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| Error::runtime(format!("extract: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|e| Error::runtime(format!("extract: {e}")))?.to_string();
        let mut content = Vec::new();
        // read at most one byte past the cap: a zip bomb stops here
        let left = (EXTRACT_CAP - total) as u64 + 1;
        (&mut entry).take(left).read_to_end(&mut content).map_err(|e| Error::runtime(format!("extract: {e}")))?;
        total += content.len();
        if total > EXTRACT_CAP {
            return Err(Error::runtime("extract: the extracted files are larger than 3 MB, Zoho's limit"));
        }
        let short = name.rsplit('/').next().unwrap_or(&name).to_string();
        let ct = content_type_for(&short).to_string();
        m.insert(Key::text(&name), Value::File(Rc::new(FileData::new(short, ct, content))));
    }
    if m.is_empty() {
        return Ok(Value::empty_collection());
    }
    Ok(Value::map(m))
}

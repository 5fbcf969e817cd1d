//! Files in and out of the page: a download made from text through a Blob URL or from a
//! `data:` URL, and the text of a file the person picked in a file input.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` as a file named `file_name`.
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not download {file_name}: {what}");
    let window = web_sys::window().ok_or_else(|| fail("no window"))?;
    let document = window.document().ok_or_else(|| fail("no document"))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| fail("the browser refused to make a Blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("the browser refused a Blob URL"))?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail("cannot create a link"))?.dyn_into().map_err(|_| fail("cannot create a link"))?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoke once the browser has started the download.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Offers what `url` holds (a `data:` URL, e.g. a canvas's PNG) as a file named `file_name`.
pub fn download_url(file_name: &str, url: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not download {file_name}: {what}");
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| fail("no document"))?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").ok().and_then(|a| a.dyn_into().ok()).ok_or_else(|| fail("cannot create a link"))?;
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
    Ok(())
}

/// Reads the file picked in `input` as text, then calls `done` with its name and text.
pub fn read_picked(input: &web_sys::HtmlInputElement, done: impl FnOnce(Result<(String, String), String>) + 'static) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return done(Err("no file was picked".into()));
    };
    let name = file.name();
    if let Err(e) = crate::views::note::limits::check_import_size(&name, file.size() as usize) {
        return done(Err(e));
    }
    let reader = match web_sys::FileReader::new() {
        Ok(r) => r,
        Err(_) => return done(Err("this browser cannot read files (no FileReader)".into())),
    };
    // One callback serves load and error: whichever comes first takes `done`.
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let on_load = {
        let (done, reader, name) = (done.clone(), reader.clone(), name.clone());
        Closure::<dyn FnMut()>::new(move || {
            let Some(done) = done.borrow_mut().take() else { return };
            match reader.result().ok().and_then(|r| r.as_string()) {
                Some(text) => done(Ok((name.clone(), text))),
                None => done(Err(format!("{name} could not be read as text"))),
            }
        })
    };
    let on_error = {
        let (done, name) = (done.clone(), name.clone());
        Closure::<dyn FnMut()>::new(move || {
            if let Some(done) = done.borrow_mut().take() {
                done(Err(format!("{name} could not be read")));
            }
        })
    };
    reader.set_onload(Some(on_load.as_ref().unchecked_ref()));
    reader.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The reader holds the callbacks until it is done; they are small and live with the page.
    on_load.forget();
    on_error.forget();
    if reader.read_as_text(&file).is_err() {
        if let Some(done) = done.borrow_mut().take() {
            done(Err(format!("{name} could not be read")));
        }
    }
}

/// A file name from a note name: letters, digits, spaces, `-`, `_` and `.` kept.
pub fn file_stem(name: &str) -> String {
    let stem: String = name.chars().map(|c| if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.') { c } else { '_' }).collect();
    let stem = stem.trim().trim_matches('.').to_string();
    if stem.is_empty() {
        "note".into()
    } else {
        stem
    }
}

//! Where files are stored: the server starts with its files in an S3 bucket (moto's server),
//! the stock bw CLI attaches a file that lands in the bucket (not in the data directory), reads
//! it back byte for byte and deletes it (the object leaves the bucket); and the server refuses
//! to start, saying which bucket and where, when the bucket is missing.

use crate::attachments::{attachments, create_item, download, random_file};
use crate::support::{self, PASSWORD};
use keyfleet_server::{Config, FilesBackend, S3Addressing, S3Config};
use keyfleet_testkit::{
    spawn_server_with, Backend, Bw, MotoServer, MOTO_ACCESS_KEY_ID, MOTO_SECRET_ACCESS_KEY,
};

/// The keys in `bucket` (moto does not check signatures, so an unsigned listing is enough).
async fn objects(moto: &MotoServer, bucket: &str) -> Vec<String> {
    let xml = reqwest::get(format!("{}/{bucket}?list-type=2", moto.endpoint()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    xml.split("<Key>")
        .skip(1)
        .filter_map(|rest| rest.split("</Key>").next())
        .map(str::to_string)
        .collect()
}

fn s3(moto: &MotoServer, bucket: &str) -> FilesBackend {
    FilesBackend::S3(S3Config {
        endpoint: Some(moto.endpoint()),
        region: "us-east-1".into(),
        bucket: bucket.into(),
        prefix: Some("keyfleet".into()),
        access_key_id: MOTO_ACCESS_KEY_ID.into(),
        secret_access_key: MOTO_SECRET_ACCESS_KEY.to_string().into(),
        addressing: S3Addressing::Path,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_keeps_files_in_s3_and_refuses_a_missing_bucket() {
    let Some(moto) = MotoServer::start() else {
        return;
    };
    let bucket = moto.create_bucket();
    let server = spawn_server_with(Backend::Sqlite, |c| c.files = s3(&moto, &bucket)).await;
    let config = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(&std::fs::read(&server.ca_pem).unwrap()).unwrap(),
        )
        .build()
        .unwrap()
        .get(format!("{}/api/config", server.base_url))
        .send()
        .await
        .unwrap();
    assert!(config.status().is_success());

    // The stock bw CLI's attachment goes to the bucket and comes back byte for byte.
    support::user(&server, "alice@example.com").await;
    let dir = tempfile::tempdir().unwrap();
    let mut bw = Bw::new(&server);
    bw.login("alice@example.com", PASSWORD);
    let item = create_item(&mut bw, "Router", None);
    let file = random_file(dir.path(), "config.bin", 300 * 1024);
    let created = bw.json(&[
        "create",
        "attachment",
        "--file",
        file.to_str().unwrap(),
        "--itemid",
        &item,
    ]);
    let attachment = attachments(&created)[0]["id"].as_str().unwrap().to_string();
    let stored = objects(&moto, &bucket).await;
    assert_eq!(
        stored,
        vec![format!("keyfleet/attachments/{item}/{attachment}")],
        "one object, under the prefix"
    );
    assert!(
        !server.data_dir().join("files/attachments").exists(),
        "nothing in the data directory"
    );
    assert_eq!(
        download(&bw, "config.bin", &item, &dir.path().join("out")),
        std::fs::read(&file).unwrap()
    );
    bw.run(&["delete", "attachment", &attachment, "--itemid", &item])
        .expect_ok();
    assert!(
        objects(&moto, &bucket).await.is_empty(),
        "deleted from the bucket"
    );
    server.stop().await;

    let data = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(data.path().to_path_buf());
    config.files = s3(&moto, "no-such-bucket");
    let Err(err) = keyfleet_server::start(config).await else {
        panic!("the server started without its bucket");
    };
    let err = err.to_string();
    assert!(err.contains("no-such-bucket"), "{err}");
    assert!(err.contains(&moto.endpoint()), "{err}");
    assert!(!err.contains(MOTO_SECRET_ACCESS_KEY), "{err}");
}

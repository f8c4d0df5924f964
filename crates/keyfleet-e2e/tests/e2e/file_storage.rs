//! Where files are stored: the server starts with its files in an S3 bucket (moto's server),
//! and refuses to start, saying which bucket and where, when the bucket is missing.

use keyfleet_server::{Config, FilesBackend, S3Addressing, S3Config};
use keyfleet_testkit::{
    spawn_server_with, Backend, MotoServer, MOTO_ACCESS_KEY_ID, MOTO_SECRET_ACCESS_KEY,
};

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

#[tokio::test]
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

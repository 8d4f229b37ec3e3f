//! The deployment examples parse and hang together: the Kubernetes manifests (as
//! `run.sh` renders them) and the GitHub Actions workflow are valid YAML, and the merge
//! reads where the shards write. Nothing here talks to a cluster or to GitHub.

use serde_json::Value;
use std::path::Path;

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    yaml_text(path, &render(&text))
}

fn yaml_text(label: &str, text: &str) -> Value {
    serde_saphyr::from_str::<Value>(text).unwrap_or_else(|e| panic!("{label}: {e}"))
}

/// What run.sh's `render` does, with example values.
fn render(text: &str) -> String {
    [
        ("__RUN_ID__", "convoy-20261126180000"),
        ("__SHARDS__", "4"),
        ("__RATE__", "40/s"),
        ("__DURATION__", "5m"),
        ("__START_AT__", "1798306091"),
        (
            "__TARGET_URL__",
            "https://staging.example/forms/ai/v1/interactive-form-sessions",
        ),
        ("__IMAGE__", "registry.example/convoy:0.1.0"),
    ]
    .iter()
    .fold(text.to_string(), |acc, (from, to)| acc.replace(from, to))
}

fn args(job: &Value) -> Vec<String> {
    job["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_array()
        .expect("container args")
        .iter()
        .map(|a| a.as_str().expect("string arg").to_string())
        .collect()
}

fn after(args: &[String], flag: &str) -> String {
    let i = args
        .iter()
        .position(|a| a == flag)
        .unwrap_or_else(|| panic!("{flag} in {args:?}"));
    args[i + 1].clone()
}

/// The Indexed Job runs N shards reading JOB_COMPLETION_INDEX into the directory the
/// merge Job reads.
#[test]
fn kubernetes_manifests_parse_and_agree() {
    let job = yaml("deploy/kubernetes/indexed-job.yaml");
    assert_eq!(job["kind"], "Job");
    assert_eq!(job["spec"]["completionMode"], "Indexed");
    assert_eq!(job["spec"]["completions"], 4);
    assert_eq!(job["spec"]["parallelism"], 4);
    let run = args(&job);
    assert_eq!(run[0], "run");
    assert_eq!(after(&run, "--shards"), "4");
    assert_eq!(after(&run, "--run-id"), "convoy-20261126180000");
    assert_eq!(after(&run, "--start-at"), "1798306091");
    let out = after(&run, "--out");
    assert_eq!(
        out,
        "/reports/convoy-20261126180000/shards/shard-$(JOB_COMPLETION_INDEX)"
    );

    let merge = yaml("deploy/kubernetes/merge-job.yaml");
    let merge_args = args(&merge);
    assert_eq!(merge_args[0], "merge");
    assert_eq!(
        format!("{}/shard-$(JOB_COMPLETION_INDEX)", merge_args[1]),
        out
    );

    let pvc = yaml("deploy/kubernetes/pvc.yaml");
    let claim = &job["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"];
    assert_eq!(claim["claimName"], pvc["metadata"]["name"]);
    assert_eq!(pvc["spec"]["accessModes"][0], "ReadWriteMany");
}

/// The workflow has a shard matrix and a merge job that needs it.
#[test]
fn github_workflow_parses_and_merges_the_matrix() {
    let workflow = yaml("deploy/github-actions/load-test.yml");
    let jobs = &workflow["jobs"];
    let matrix = jobs["shard"]["strategy"]["matrix"]["shard"]
        .as_array()
        .expect("matrix");
    assert_eq!(matrix.len(), 4);
    assert_eq!(workflow["env"]["SHARDS"], 4);
    assert!(
        jobs["merge"]["needs"]
            .as_array()
            .expect("needs")
            .contains(&"shard".into())
    );
    let text = serde_json::to_string(&jobs["merge"]).unwrap();
    assert!(text.contains("convoy merge shards --out merged"), "{text}");
    assert!(text.contains("GITHUB_STEP_SUMMARY"), "{text}");
}

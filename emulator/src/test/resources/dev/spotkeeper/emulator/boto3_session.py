"""A boto3 session against the emulator, as a user's own script would run it against AWS.

Prints one JSON object a line ({"step": ..., ...}); Boto3SessionTest asserts on them. The endpoint comes in
SPOTKEEPER_TEST_ENDPOINT: Debian's boto3 predates AWS_ENDPOINT_URL.
"""
import base64
import json
import os
import sys
import time

import boto3

ENDPOINT = os.environ["SPOTKEEPER_TEST_ENDPOINT"]
s3 = boto3.client("s3", endpoint_url=ENDPOINT)
ec2 = boto3.client("ec2", endpoint_url=ENDPOINT)
sqs = boto3.client("sqs", endpoint_url=ENDPOINT)


def say(step, **fields):
    print(json.dumps(dict(step=step, **fields), default=str), flush=True)


def until(what, check, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    say("timeout", waiting_for=what)
    sys.exit(3)


# S3: a listing holds the objects, and only them.
s3.create_bucket(Bucket="boto3-session")
s3.put_object(Bucket="boto3-session", Key="ckpt/run-1/model.bin", Body=b"weights")
s3.put_object(Bucket="boto3-session", Key="ckpt/manifest.json", Body=b"{}")
listed = s3.list_objects_v2(Bucket="boto3-session")
say("list", key_count=listed["KeyCount"],
    keys=[[o["Key"], o["Size"]] for o in listed.get("Contents", [])])
paged = s3.get_paginator("list_objects_v2").paginate(Bucket="boto3-session", PaginationConfig={"PageSize": 1})
say("list-paged", keys=[o["Key"] for page in paged for o in page.get("Contents", [])])
listed_v1 = s3.list_objects(Bucket="boto3-session", Prefix="ckpt/")
say("list-v1", keys=[o["Key"] for o in listed_v1.get("Contents", [])])
say("content-type", head=s3.head_object(Bucket="boto3-session", Key="ckpt/manifest.json")["ContentType"],
    get=s3.get_object(Bucket="boto3-session", Key="ckpt/manifest.json")["ContentType"])

# EC2 images by owner, as scripts pick an AMI.
say("images-amazon", names=[i["Name"] for i in ec2.describe_images(Owners=["amazon"])["Images"]])
say("images-canonical", names=[i["Name"] for i in ec2.describe_images(Owners=["099720109477"])["Images"]])
say("images-self", names=[i["Name"] for i in ec2.describe_images(Owners=["self"])["Images"]])

# The legacy spot flow: request, open, active with an instance, cancel.
requested = ec2.request_spot_instances(
    SpotPrice="0.50", InstanceCount=1, Type="one-time",
    LaunchSpecification={"ImageId": "ami-0abcdef1234567890", "InstanceType": "m5.large",
                         "UserData": base64.b64encode(b"#!/bin/sh\nsleep 600\n").decode()},
    TagSpecifications=[{"ResourceType": "spot-instances-request", "Tags": [{"Key": "team", "Value": "ml"}]}])
request = requested["SpotInstanceRequests"][0]
request_id = request["SpotInstanceRequestId"]
say("requested", state=request["State"], code=request["Status"]["Code"], id=request_id)


def active():
    r = ec2.describe_spot_instance_requests(SpotInstanceRequestIds=[request_id])["SpotInstanceRequests"][0]
    return r if r["State"] == "active" and r.get("InstanceId") else None


fulfilled = until("the request to be fulfilled", active)
instance_id = fulfilled["InstanceId"]
say("fulfilled", state=fulfilled["State"], code=fulfilled["Status"]["Code"], instance=instance_id,
    tags={t["Key"]: t["Value"] for t in fulfilled.get("Tags", [])})
instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
say("instance", lifecycle=instance.get("InstanceLifecycle"), request=instance.get("SpotInstanceRequestId"))
by_filter = ec2.describe_spot_instance_requests(Filters=[{"Name": "state", "Values": ["active"]}])
say("filtered", ids=[r["SpotInstanceRequestId"] for r in by_filter["SpotInstanceRequests"]])
cancelled = ec2.cancel_spot_instance_requests(SpotInstanceRequestIds=[request_id])["CancelledSpotInstanceRequests"][0]
after = ec2.describe_spot_instance_requests(SpotInstanceRequestIds=[request_id])["SpotInstanceRequests"][0]
say("cancelled", state=cancelled["State"], code=after["Status"]["Code"],
    instance_state=ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]["Name"])

too_low = ec2.request_spot_instances(SpotPrice="0.0001", InstanceCount=1,
                                     LaunchSpecification={"ImageId": "ami-0abcdef1234567890",
                                                          "InstanceType": "m5.large"})["SpotInstanceRequests"][0]


def evaluated():
    r = ec2.describe_spot_instance_requests(
        SpotInstanceRequestIds=[too_low["SpotInstanceRequestId"]])["SpotInstanceRequests"][0]
    return r if r["Status"]["Code"] != "pending-evaluation" else None


low = until("the low-price request to be evaluated", evaluated)
ec2.cancel_spot_instance_requests(SpotInstanceRequestIds=[too_low["SpotInstanceRequestId"]])
closed = ec2.describe_spot_instance_requests(
    SpotInstanceRequestIds=[too_low["SpotInstanceRequestId"]])["SpotInstanceRequests"][0]
say("too-low", state=low["State"], code=low["Status"]["Code"], after_cancel=closed["State"],
    after_cancel_code=closed["Status"]["Code"], instance=low.get("InstanceId"))

# The instance's state changes arrive on the event queue in the order they happened.
ec2.terminate_instances(InstanceIds=[instance_id])
until("the instance to terminate", lambda: ec2.describe_instances(InstanceIds=[instance_id])
      ["Reservations"][0]["Instances"][0]["State"]["Name"] == "terminated")
queue = sqs.get_queue_url(QueueName="spotkeeper-events")["QueueUrl"]
states = []


def all_states():
    for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
        event = json.loads(m["Body"])
        if event["detail"].get("instance-id") == instance_id and "state" in event["detail"]:
            states.append(event["detail"]["state"])
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])
    return "terminated" in states


until("the terminated event", all_states)
say("events", states=states)
say("done")

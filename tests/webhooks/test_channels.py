"""Group robots (WeCom, DingTalk) and the Aliyun SMS adapter, against a local fake server that
checks the request format and recomputes the signature."""

import base64
import hashlib
import hmac
import json
import logging
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote_plus

import pytest
from django.utils import timezone

from casework.models import Delivery
from casework.services.notifications import delivery_send, preference_set
from casework.services.sweep import deadline_sweep
from webhooks import services
from webhooks.models import RobotDelivery, UnitRobot
from webhooks.sms import AliyunSMSBackend, SMSError, rpc_signature

pytestmark = pytest.mark.django_db


def _robot(receiver, unit, kind, path, **extra):
    return UnitRobot.objects.create(
        unit=unit, kind=kind, name=f"{unit.name}群", url=f"{receiver.url}{path}", **extra
    )


def _dingtalk_sign_ok(query, secret):
    timestamp = query["timestamp"]
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    fresh = abs(int(timestamp) - time.time() * 1000) < 3600 * 1000
    return fresh and query["sign"] == expected  # parse_qsl has already URL-decoded it


def test_reminders_and_escalations_reach_the_units_robots(
    receiver, tree, open_case, drive, django_capture_on_commit_callbacks
):
    """The case is in 阳光小区 (under A1 网格, 城东社区, 博白镇) and handled by 城东物业.
    At its deadline plus a minute it owes 'due now' and escalation 1. The community's WeCom robot
    and the town's DingTalk robot get both; the company's robot takes escalations only (1);
    城西社区's robot is not concerned (0)."""
    receiver.answers = [(200, {"errcode": 0, "errmsg": "ok"})]
    wecom = _robot(receiver, tree.community_a, "wecom", "/cgi-bin/webhook/send?key=K1")
    ding = _robot(
        receiver, tree.town, "dingtalk", "/robot/send?access_token=T1", secret="SECabc123"
    )
    company = _robot(receiver, tree.company, "wecom", "/company?key=K2", reminders=False)
    _robot(receiver, tree.community_b, "wecom", "/other?key=K3")
    case = drive(open_case(title="电梯停了"), "in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        deadline_sweep(now=case.due_at + timedelta(minutes=1))
    counts = {}
    for got in receiver.got:
        counts[got.path] = counts.get(got.path, 0) + 1
        body = got.json()
        assert set(body) == {"msgtype", "text"} and body["msgtype"] == "text"
        assert case.number in body["text"]["content"]
        assert got.headers["content-type"].startswith("application/json")
        if got.path == "/robot/send":
            assert got.query["access_token"] == "T1"
            assert _dingtalk_sign_ok(got.query, "SECabc123")
        else:
            assert "timestamp" not in got.query and "sign" not in got.query
    assert counts == {"/cgi-bin/webhook/send": 2, "/robot/send": 2, "/company": 1}
    assert RobotDelivery.objects.filter(status="sent").count() == 5
    texts = sorted(RobotDelivery.objects.filter(robot=wecom).values_list("text", flat=True))
    due = timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M")
    assert len(set(texts)) == 2  # the reminder and the escalation say different things
    for text in texts:
        assert case.number in text and "电梯停了" in text and "阳光小区" in text and due in text
    assert RobotDelivery.objects.filter(robot=ding).count() == 2
    assert RobotDelivery.objects.filter(robot=company).count() == 1


def test_a_robot_errcode_is_a_failure_retried_later(
    receiver, tree, open_case, drive, django_capture_on_commit_callbacks
):
    receiver.answers = [(200, {"errcode": 310000, "errmsg": "sign not match"})]
    _robot(
        receiver,
        tree.town,
        "dingtalk",
        "/robot/send?access_token=T1",
        secret="SECwrong",
        escalations=False,
    )
    case = drive(open_case(), "in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        deadline_sweep(now=case.due_at + timedelta(minutes=1))
    message = RobotDelivery.objects.get()
    assert message.status == "pending" and message.attempts == 1
    assert "310000" in message.error and message.response_code == 200
    assert message.next_attempt_at - message.created_at >= timedelta(seconds=59)


def test_a_robot_message_is_sent_once(
    receiver, tree, open_case, drive, django_capture_on_commit_callbacks
):
    receiver.answers = [(200, {"errcode": 0, "errmsg": "ok"})]
    _robot(receiver, tree.community_a, "wecom", "/send?key=K", escalations=False)
    case = drive(open_case(), "in_progress")
    with django_capture_on_commit_callbacks(execute=False):
        deadline_sweep(now=case.due_at + timedelta(minutes=1))
    message = RobotDelivery.objects.get()
    assert services.robot_send(delivery_id=message.pk) == "sent"
    assert services.robot_send(delivery_id=message.pk) == "skipped"
    assert len(receiver.got) == 1


# --- Aliyun SMS -----------------------------------------------------------------------------


def test_the_signature_matches_aliyuns_documented_example():
    """The SendSms example of Aliyun's signing documentation, and its published signature."""
    params = {
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "AccessKeyId": "testId",
        "SignatureVersion": "1.0",
        "Timestamp": "2017-07-12T02:42:19Z",
        "Format": "XML",
        "Action": "SendSms",
        "Version": "2017-05-25",
        "RegionId": "cn-hangzhou",
        "PhoneNumbers": "15300000001",
        "SignName": "阿里云短信测试专用",
        "TemplateParam": '{"customer":"test"}',
        "TemplateCode": "SMS_71390007",
        "OutId": "123",
    }
    assert rpc_signature(params, secret="testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


@pytest.fixture
def aliyun(settings, receiver):
    settings.MINQING_SMS_BACKEND = "webhooks.sms.AliyunSMSBackend"
    settings.MINQING_ALIYUN_SMS_ACCESS_KEY_ID = "LTAI-test"
    settings.MINQING_ALIYUN_SMS_ACCESS_KEY_SECRET = "secret-for-tests"
    settings.MINQING_ALIYUN_SMS_SIGN_NAME = "民情"
    settings.MINQING_ALIYUN_SMS_TEMPLATE_CODE = "SMS_000001"
    settings.MINQING_ALIYUN_SMS_ENDPOINT = receiver.url + "/"
    receiver.answers = [(200, {"Code": "OK", "Message": "OK", "BizId": "9", "RequestId": "r"})]
    return receiver


def _check_aliyun_request(got, *, phone, out_id):
    """What the provider checks: every parameter, and the signature recomputed."""
    assert got.method == "GET" and got.path == "/"
    query = dict(got.query)
    sent_signature = query.pop("Signature")
    assert rpc_signature(query, secret="secret-for-tests") == sent_signature
    assert query["Action"] == "SendSms" and query["Version"] == "2017-05-25"
    assert query["SignatureMethod"] == "HMAC-SHA1" and query["SignatureVersion"] == "1.0"
    assert query["AccessKeyId"] == "LTAI-test" and query["Format"] == "JSON"
    assert query["RegionId"] == "cn-hangzhou"
    assert query["PhoneNumbers"] == phone and query["OutId"] == out_id
    assert query["SignName"] == "民情" and query["TemplateCode"] == "SMS_000001"
    param = json.loads(query["TemplateParam"])
    assert list(param) == ["text"] and 0 < len(param["text"]) <= 35
    sent_at = datetime.strptime(query["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((sent_at - datetime.now(UTC)).total_seconds()) < 120
    assert len(query["SignatureNonce"]) == 32
    return param["text"]


def test_an_sms_goes_to_aliyun_once_signed(
    aliyun, people, open_case, drive, caplog, django_capture_on_commit_callbacks
):
    people.handler_company.phone = "13812345678"
    people.handler_company.save()
    preference_set(user=people.handler_company, email=False, sms=True, digest=True)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        drive(open_case(), "assigned")  # the handler is told: one SMS, sent on commit
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == "sent"
    assert len(aliyun.got) == 1
    _check_aliyun_request(aliyun.got[0], phone="13812345678", out_id=str(delivery.pk))
    # Sent once: the claim skips a second send of the same delivery.
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert len(aliyun.got) == 1
    assert "13812345678" not in caplog.text and "138****5678" in caplog.text


def test_aliyun_refusing_is_a_recorded_failure_without_the_number(
    aliyun, people, open_case, drive, caplog, django_capture_on_commit_callbacks
):
    aliyun.answers = [(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"})]
    people.handler_company.phone = "13812345678"
    people.handler_company.save()
    preference_set(user=people.handler_company, email=False, sms=True, digest=True)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=False):
        drive(open_case(), "assigned")
    delivery = Delivery.objects.get(channel="sms")
    with pytest.raises(SMSError):
        delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "isv.BUSINESS_LIMIT_CONTROL" in delivery.error
    assert "13812345678" not in delivery.error and "13812345678" not in caplog.text


def test_aliyun_without_keys_refuses_to_send(settings):
    settings.MINQING_ALIYUN_SMS_ACCESS_KEY_ID = ""
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="MINQING_ALIYUN_SMS_ACCESS_KEY_ID"):
        AliyunSMSBackend().send(phone="13812345678", text="x", key="1")


def test_percent_encoding_follows_aliyun():
    from webhooks.sms import percent_encode

    assert percent_encode("a b*c~d/é") == "a%20b%2Ac~d%2F%C3%A9"
    assert unquote_plus(percent_encode("民情")) == "民情"

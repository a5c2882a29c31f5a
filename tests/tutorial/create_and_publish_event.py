# Zoom's "create and publish an event" tutorial, "Python (complete)", re-indented from
# ../shared/reference/tutorial-create-and-publish-event.md. Nothing else is changed: the test
# substitutes the base URLs and the credentials in this text before running it.
import requests
import sys

def create_and_publish_event():
    """Complete workflow: authenticate, create, and publish event"""
    # Configuration
    client_id = "YOUR_CLIENT_ID"
    client_secret = "YOUR_CLIENT_SECRET"
    print("Step 1: Getting access token...")
    # Authenticate
    token_response = requests.post(
        "https://zoom.us/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(client_id, client_secret)
    )
    access_token = token_response.json()["access_token"]
    print(f" Token obtained: {access_token[:20]}...")
    # Setup headers
    headers = {
        "Authorization": f"Bearer {access_token}",
        "Content-Type": "application/json"
    }
    print("\nStep 2: Getting hub ID...")
    # Get hub ID
    hub_response = requests.get(
        "https://api.zoom.us/v2/zoom_events/hubs",
        headers=headers,
        params={"role_type": "host"}
    )
    hub_id = hub_response.json()["hubs"][0]["hub_id"]
    print(f" Using hub ID: {hub_id}")
    print("\nStep 3: Creating event...")
    # Create event
    # Event date: December 15, 2025, 2:00 PM EST (7:00 PM UTC)
    from datetime import datetime, timezone
    start_time = datetime(2025, 12, 15, 19, 0, 0, tzinfo=timezone.utc)
    end_time = datetime(2025, 12, 15, 20, 30, 0, tzinfo=timezone.utc)
    event_data = {
        "hub_id": hub_id,
        "name": "Q4 Town Hall: Looking Ahead to 2026",
        "timezone": "America/New_York",
        "event_type": "SIMPLE_EVENT",
        "access_level": "PRIVATE_UNRESTRICTED",
        "meeting_type": "WEBINAR",
        "attendance_type": "VIRTUAL",
        "calendar": [
            {
                "start_time": start_time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end_time": end_time.strftime("%Y-%m-%dT%H:%M:%SZ")
            }
        ]
    }
    event_response = requests.post(
        "https://api.zoom.us/v2/zoom_events/events",
        headers=headers,
        json=event_data
    )
    event_response.raise_for_status()  # Check for HTTP errors
    event_result = event_response.json()
    event_id = event_result["event_id"]
    event_url = event_result["event_url"]
    print(f" Event created: {event_id}")
    print(f" Status: {event_result['status']}")
    print("\nStep 4: Verifying event...")
    # Verify event
    verify_response = requests.get(
        f"https://api.zoom.us/v2/zoom_events/events/{event_id}",
        headers=headers
    )
    verify_data = verify_response.json()
    assert verify_data['status'] == 'draft', "Event should be in draft"
    print(" Event verified")
    print("\nStep 5: Publishing event...")
    # Publish event
    publish_response = requests.post(
        f"https://api.zoom.us/v2/zoom_events/events/{event_id}/event_actions",
        headers=headers,
        json={"operation": "publish"}
    )
    publish_response.raise_for_status()  # Check for HTTP errors
    publish_data = publish_response.json()
    print(f" Event published: {publish_data['status']}")
    print("\nStep 6: Final verification...")
    # Final verification
    final_response = requests.get(
        f"https://api.zoom.us/v2/zoom_events/events/{event_id}",
        headers=headers
    )
    final_data = final_response.json()
    if final_data['status'] == 'Published':
        print(" Event is Published and live")
        print(f"\n{'='*60}")
        print("SUCCESS Your event is ready")
        print(f"{'='*60}")
        print(f"Event Name: {final_data['name']}")
        print(f"Event ID: {event_id}")
        print(f"Registration URL: {event_url}")
        print(f"\nShare this link with attendees to start collecting registrations")
        return event_id, event_url
    else:
        print(f"✗ Unexpected status: {final_data['status']}")
        sys.exit(1)

if __name__ == "__main__":
    create_and_publish_event()

-- Four-eyes (issue 20, item 13): one person approves at most one stage of an application, so
-- the settlement and the payment stage of a redemption batch are approved by two different
-- operators. The approvals repository refuses it first, in the deciding transaction (409
-- four_eyes_required); this trigger keeps any other writer from recording it. Decisions made
-- before this migration are left as they are.
CREATE FUNCTION approval_decisions_four_eyes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.decision = 'approved' AND EXISTS (
        SELECT 1 FROM approval_decisions
        WHERE application_id = NEW.application_id AND decider_user_id = NEW.decider_user_id AND decision = 'approved'
    ) THEN
        RAISE EXCEPTION 'four_eyes_required: % approved an earlier stage of application %', NEW.decider_user_id, NEW.application_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER approval_decisions_four_eyes BEFORE INSERT ON approval_decisions
    FOR EACH ROW EXECUTE FUNCTION approval_decisions_four_eyes();
